import Foundation
import NIOCore
import NIOHTTP1

/// Properties of a storage account.
public struct StorageAccountProperties: Codable, Sendable {
    /// Provisioning state.
    public var provisioningState: String?
    /// The public endpoints (`blob`, `queue`, …), e.g. `https://acct.blob.core.windows.net/`.
    public var primaryEndpoints: [String: String]?
    /// `Enabled` or `Disabled`.
    public var publicNetworkAccess: String?
    /// Whether Shared Key (and SAS signed with it) is allowed.
    public var allowSharedKeyAccess: Bool?
    /// Whether containers may allow anonymous reads.
    public var allowBlobPublicAccess: Bool?
    /// `TLS1_2`, ...
    public var minimumTlsVersion: String?
    /// Whether only HTTPS is accepted.
    public var supportsHttpsTrafficOnly: Bool?
    /// `Hot` or `Cool` default tier.
    public var accessTier: String?
    /// Firewall rules, passed through.
    public var networkAcls: AzureJSON?

    /// Creates properties for a create or update request.
    public init(
        publicNetworkAccess: String? = nil,
        allowSharedKeyAccess: Bool? = nil,
        allowBlobPublicAccess: Bool? = false,
        minimumTlsVersion: String? = "TLS1_2",
        supportsHttpsTrafficOnly: Bool? = true,
        accessTier: String? = nil,
        networkAcls: AzureJSON? = nil
    ) {
        self.publicNetworkAccess = publicNetworkAccess
        self.allowSharedKeyAccess = allowSharedKeyAccess
        self.allowBlobPublicAccess = allowBlobPublicAccess
        self.minimumTlsVersion = minimumTlsVersion
        self.supportsHttpsTrafficOnly = supportsHttpsTrafficOnly
        self.accessTier = accessTier
        self.networkAcls = networkAcls
    }
}

/// A storage account.
public typealias StorageAccount = ARMResource<StorageAccountProperties>

/// One key of a storage account.
public struct StorageAccountKey: Codable, Sendable, CustomStringConvertible {
    /// `key1` or `key2`.
    public var keyName: String
    /// The base64 key (secret).
    public var value: String
    /// `Full` or `Read`.
    public var permissions: String?

    /// A description without the key.
    public var description: String { "StorageAccountKey(\(keyName), \(Redaction.placeholder))" }
}

struct StorageAccountKeyList: Codable, Sendable {
    var keys: [StorageAccountKey]
}
