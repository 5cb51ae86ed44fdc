import Foundation

/// A storage URL carrying a SAS, parsed into account, container, blob and SAS fields.
///
/// Works for host-style (`https://acct.blob.core.windows.net/c/b?sv=…`) and path-style
/// (`http://127.0.0.1:10000/acct/c/b?sv=…`) URLs, and for managed-disk export URLs
/// (`https://md-….blob.storage.azure.net/c/abcd?sv=…&sr=b&si=…&sig=…`). Its description redacts `sig`.
public struct SASURL: Sendable, CustomStringConvertible {
    /// The full URL, SAS included.
    public let url: URL
    /// The storage account name (first host label, or first path segment for path style).
    public let accountName: String
    /// The container, if the URL names one.
    public let container: String?
    /// The blob name (decoded), if the URL names one.
    public let blob: String?
    /// The query parameters of the URL, decoded.
    public let parameters: [String: String]
    /// Whether the URL is path style (the account is the first path segment).
    public let isPathStyle: Bool

    /// Parses `url`.
    /// - Throws: ``AzureError`` with code ``AzureError/Code/configuration`` when it has no host or no `sig`.
    public init(_ url: URL) throws {
        guard let host = url.host, !host.isEmpty else {
            throw AzureError(
                .configuration,
                message: "The SAS URL \(Redaction.redact(url.absoluteString)) has no host."
            )
        }
        self.url = url
        var parameters: [String: String] = [:]
        for item in URLEncoding.queryItems(of: url) { parameters[item.name] = item.value }
        guard parameters["sig"] != nil else {
            throw AzureError(
                .configuration,
                message: "The URL \(Redaction.redact(url.absoluteString)) carries no SAS signature (sig=)."
            )
        }
        self.parameters = parameters
        var segments = url.path(percentEncoded: false).split(separator: "/", omittingEmptySubsequences: true).map(
            String.init
        )
        let pathStyle = Self.isPathStyleHost(host)
        self.isPathStyle = pathStyle
        if pathStyle, !segments.isEmpty {
            self.accountName = segments.removeFirst()
        } else {
            self.accountName = String(host.split(separator: ".").first ?? Substring(host))
        }
        self.container = segments.first
        self.blob = segments.count > 1 ? segments.dropFirst().joined(separator: "/") : nil
    }

    /// Parses a URL string.
    public init(string: String) throws {
        guard let url = URL(string: string) else {
            throw AzureError(.configuration, message: "\(Redaction.redact(string)) is not a URL.")
        }
        try self.init(url)
    }

    /// Whether a host means a path-style endpoint (an IP address or `localhost`).
    static func isPathStyleHost(_ host: String) -> Bool {
        if host == "localhost" || host.contains(":") { return true }
        return host.split(separator: ".").count == 4 && host.split(separator: ".").allSatisfy { UInt8($0) != nil }
    }

    /// The expiry (`se`), if present and valid.
    public var expiresOn: Date? { parameters["se"].flatMap(AzureISODate.parse) }
    /// The permissions (`sp`), if present.
    public var permissions: String? { parameters["sp"] }
    /// The signed resource (`sr`), if present.
    public var signedResource: String? { parameters["sr"] }
    /// The snapshot time the URL addresses (`snapshot`), if any.
    public var snapshot: String? { parameters["snapshot"] }

    /// The service endpoint (scheme, host, port, and the account segment for path style).
    public var serviceEndpoint: URL? {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return nil }
        components.percentEncodedQuery = nil
        components.fragment = nil
        components.percentEncodedPath = isPathStyle ? "/\(accountName)/" : "/"
        return components.url
    }

    /// The SAS query string alone (secret; use for building URLs, never for logs).
    public var sasQuery: String {
        URLComponents(url: url, resolvingAgainstBaseURL: false)?.percentEncodedQuery ?? ""
    }

    /// The URL with `sig` redacted.
    public var description: String { Redaction.redact(url.absoluteString) }
}
