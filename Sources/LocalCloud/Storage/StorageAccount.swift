import AzureKit
import Foundation

/// What the data planes need to know about a storage account, read from its ARM resource.
public struct StorageAccount: Sendable {
    /// The account name.
    public var name: String
    /// The ARM resource ID.
    public var resourceID: String
    /// The region.
    public var location: String
    /// The two access keys (base64), `key1` first.
    public var keys: [String]
    /// Whether public network access is enabled (`publicNetworkAccess` not `Disabled`).
    public var publicNetworkAccess: Bool
    /// Whether Shared Key and SAS authorisation are allowed (`allowSharedKeyAccess` not `false`).
    public var allowSharedKeyAccess: Bool

    /// Reads the account from its stored resource.
    init(_ resource: StoredResource) {
        let body = resource.body
        name = body["name"]?.stringValue ?? ""
        resourceID = resource.id
        location = body["location"]?.stringValue ?? ""
        keys = resource.hidden["keys"]?.arrayValue?.compactMap { $0["value"]?.stringValue } ?? []
        let properties = body["properties"] ?? .null
        publicNetworkAccess = properties["publicNetworkAccess"]?.stringValue?.lowercased() != "disabled"
        allowSharedKeyAccess = properties["allowSharedKeyAccess"]?.boolValue ?? true
    }
}

extension CloudServices {
    /// The storage account named `name` (in any subscription), or `nil`.
    public func storageAccount(named name: String) -> StorageAccount? {
        let lowered = name.lowercased()
        if let id = storage.cachedAccountID(lowered), let resource = resources.get(id) {
            return StorageAccount(resource)
        }
        let suffix = "/providers/microsoft.storage/storageaccounts/\(lowered)"
        guard let resource = resources.list(where: { $0.id.lowercased().hasSuffix(suffix) }).first else { return nil }
        storage.cacheAccountID(resource.id, for: lowered)
        return StorageAccount(resource)
    }
}
