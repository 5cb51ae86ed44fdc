import Foundation
import NIOCore
import NIOHTTP1

/// Where a cloud's services live: Entra ID, Resource Manager, storage endpoints, and any extra
/// certificate authority to trust. ``publicCloud`` is Azure's global cloud; LocalCloud and other
/// clouds are described by configuration (see ``localCloud(endpointsFile:)``).
public struct AzureEnvironment: Sendable {
    /// The Entra ID authority, e.g. `https://login.microsoftonline.com/`.
    public var authorityHost: URL
    /// The Resource Manager endpoint, e.g. `https://management.azure.com/`.
    public var resourceManager: URL
    /// The OAuth scope for Resource Manager tokens, e.g. `https://management.azure.com/.default`.
    public var resourceManagerScope: String
    /// The OAuth scope for storage data-plane tokens, `https://storage.azure.com/.default`.
    public var storageScope: String
    /// How storage account endpoints are formed.
    public var storageEndpoints: StorageEndpoints
    /// PEM text of an extra certificate authority to trust (LocalCloud's own CA), if any.
    public var extraTrustedCAPEM: String?

    /// Creates an environment.
    public init(
        authorityHost: URL,
        resourceManager: URL,
        resourceManagerScope: String? = nil,
        storageScope: String = "https://storage.azure.com/.default",
        storageEndpoints: StorageEndpoints = .suffix("core.windows.net"),
        extraTrustedCAPEM: String? = nil
    ) {
        self.authorityHost = authorityHost
        self.resourceManager = resourceManager
        self.resourceManagerScope = resourceManagerScope ?? Self.defaultScope(for: resourceManager)
        self.storageScope = storageScope
        self.storageEndpoints = storageEndpoints
        self.extraTrustedCAPEM = extraTrustedCAPEM
    }

    /// Azure's global public cloud.
    public static let publicCloud = AzureEnvironment(
        authorityHost: URL(string: "https://login.microsoftonline.com/")!,
        resourceManager: URL(string: "https://management.azure.com/")!
    )

    /// `{resourceManager}/.default`, the scope Entra ID issues Resource Manager tokens for.
    public static func defaultScope(for resourceManager: URL) -> String {
        var base = resourceManager.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        return base + "/.default"
    }

    /// The endpoint of `service` in storage account `account`, e.g. `https://acct.blob.core.windows.net/`.
    public func storageEndpoint(account: String, service: StorageService) -> URL? {
        storageEndpoints.endpoint(account: account, service: service)
    }
}

/// A storage service.
public enum StorageService: String, Sendable, Hashable, CaseIterable {
    /// Blob storage.
    case blob
    /// Queue storage.
    case queue
}

/// How storage endpoints are formed for an account.
public struct StorageEndpoints: Sendable {
    /// Patterns per service with an `{account}` placeholder (and optionally `{service}`), e.g.
    /// `https://{account}.blob.core.windows.net/`.
    public var patterns: [StorageService: String]
    /// Endpoints known explicitly (for example read from a storage account's `primaryEndpoints`);
    /// they take precedence over ``patterns``.
    public var explicit: [String: [StorageService: URL]]

    /// Creates a configuration from one pattern with `{account}` and `{service}` placeholders.
    public init(pattern: String, explicit: [String: [StorageService: URL]] = [:]) {
        self.patterns = Dictionary(uniqueKeysWithValues: StorageService.allCases.map { ($0, pattern) })
        self.explicit = explicit
    }

    /// Creates a configuration from one pattern per service, each with an `{account}` placeholder.
    public init(blobPattern: String, queuePattern: String) {
        self.patterns = [.blob: blobPattern, .queue: queuePattern]
        self.explicit = [:]
    }

    /// `https://{account}.{service}.<suffix>/`, e.g. suffix `core.windows.net` for the public cloud.
    public static func suffix(_ suffix: String) -> StorageEndpoints {
        StorageEndpoints(pattern: "https://{account}.{service}.\(suffix)/")
    }

    /// The endpoint of `service` for `account`.
    public func endpoint(account: String, service: StorageService) -> URL? {
        if let url = explicit[account]?[service] { return url }
        guard let pattern = patterns[service] else { return nil }
        let text = pattern.replacingOccurrences(of: "{account}", with: account)
            .replacingOccurrences(of: "{service}", with: service.rawValue)
        return URL(string: text)
    }

    /// Records explicit endpoints for `account`.
    public mutating func set(_ url: URL, account: String, service: StorageService) {
        explicit[account, default: [:]][service] = url
    }
}
