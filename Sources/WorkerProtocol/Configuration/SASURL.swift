import Foundation

/// A storage URL that carries a SAS token: the resource's URL and the token, kept apart so that the
/// token is never printed.
public struct SASURL: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The resource's URL, without the query.
    public let resource: URL
    /// The SAS token: the query, without `?`.
    public let token: String

    /// Parses an `https` (or, for loopback tests, `http`) URL whose query holds a SAS signature (`sig=`).
    /// - Returns: `nil` when the text is not such a URL.
    public init?(_ text: String) {
        guard var parts = URLComponents(string: text), let scheme = parts.scheme?.lowercased(),
            scheme == "https" || scheme == "http", parts.host?.isEmpty == false,
            let query = parts.percentEncodedQuery, !query.isEmpty,
            query.split(separator: "&").contains(where: { $0.hasPrefix("sig=") })
        else { return nil }
        parts.percentEncodedQuery = nil
        parts.fragment = nil
        guard let resource = parts.url else { return nil }
        self.resource = resource
        self.token = query
    }

    /// The full URL, token included: for requests only.
    public var absoluteString: String { resource.absoluteString + "?" + token }

    /// The resource's URL and `?<SAS redacted>`.
    public var description: String { resource.absoluteString + "?<SAS redacted>" }

    /// The permissions (`sp`) the token claims, when it names them.
    public var permissions: String? {
        token.split(separator: "&").first { $0.hasPrefix("sp=") }.map { String($0.dropFirst(3)) }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        guard let url = SASURL(try container.decode(String.self)) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "expected an https URL with a SAS token (a query holding sig=)"
            )
        }
        self = url
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(absoluteString)
    }
}
