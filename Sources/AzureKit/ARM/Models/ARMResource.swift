import Foundation
import NIOCore
import NIOHTTP1

/// An ARM resource envelope: identity, location, tags and the type-specific `properties`.
public struct ARMResource<Properties: Codable & Sendable>: Codable, Sendable {
    /// The full resource ID.
    public var id: String?
    /// The resource name.
    public var name: String?
    /// The resource type, e.g. `Microsoft.Compute/snapshots`.
    public var type: String?
    /// The region.
    public var location: String?
    /// Tags.
    public var tags: [String: String]?
    /// The SKU, where the type has one.
    public var sku: ARMSku?
    /// The kind, where the type has one (storage accounts: `StorageV2`).
    public var kind: String?
    /// A managed identity block, where the type has one.
    public var identity: AzureJSON?
    /// Type-specific properties.
    public var properties: Properties?

    /// Creates a resource body for a PUT.
    public init(
        location: String?,
        tags: [String: String]? = nil,
        sku: ARMSku? = nil,
        kind: String? = nil,
        identity: AzureJSON? = nil,
        properties: Properties?
    ) {
        self.location = location
        self.tags = tags
        self.sku = sku
        self.kind = kind
        self.identity = identity
        self.properties = properties
    }
}

/// A SKU, e.g. `{"name":"Standard_LRS"}`.
public struct ARMSku: Codable, Sendable, Hashable {
    /// The SKU name.
    public var name: String
    /// The tier, if given.
    public var tier: String?

    /// Creates a SKU.
    public init(name: String, tier: String? = nil) {
        self.name = name
        self.tier = tier
    }
}

/// A reference to another resource by ID, `{"id":"…"}`.
public struct ARMReference: Codable, Sendable, Hashable {
    /// The resource ID.
    public var id: String

    /// Creates a reference.
    public init(id: String) {
        self.id = id
    }
}

/// Properties that only report provisioning (resource groups, disk accesses).
public struct ProvisioningProperties: Codable, Sendable {
    /// `Succeeded`, `Failed`, `Canceled`, or a transitional state.
    public var provisioningState: String?
    /// Private endpoint connections, where the type has them (disk accesses).
    public var privateEndpointConnections: [AzureJSON]?

    /// Creates empty properties.
    public init() {}
}

/// A resource group.
public typealias ResourceGroup = ARMResource<ProvisioningProperties>
/// A disk access resource (`Microsoft.Compute/diskAccesses`).
public typealias DiskAccess = ARMResource<ProvisioningProperties>
