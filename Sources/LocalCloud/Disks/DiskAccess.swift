/// A disk access (`Microsoft.Compute/diskAccesses`): the target of private endpoints with group `disks`.
public struct DiskAccess: Codable, Sendable, Equatable {
    /// The disk access's properties.
    public struct Properties: Codable, Sendable, Equatable {
        /// `Succeeded` once created.
        public var provisioningState: String?
        /// When it was created (ISO 8601).
        public var timeCreated: String?
        /// The private endpoints connected to it.
        public var privateEndpointConnections: [PrivateEndpointConnection]?

        /// Creates empty properties.
        public init() {}
    }

    /// The ARM ID.
    public var id: String?
    /// The name.
    public var name: String?
    /// `Microsoft.Compute/diskAccesses`.
    public var type: String?
    /// The region.
    public var location: String
    /// Tags.
    public var tags: [String: String]?
    /// The properties.
    public var properties: Properties?

    /// The resource type.
    public static let resourceType = "Microsoft.Compute/diskAccesses"

    /// Creates a disk access.
    public init(location: String) {
        self.location = location
    }
}
