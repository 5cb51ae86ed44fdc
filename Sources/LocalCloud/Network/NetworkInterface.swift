/// A network interface (`Microsoft.Network/networkInterfaces`).
public struct NetworkInterface: Codable, Sendable, Equatable {
    /// One IP configuration of the interface.
    public struct IPConfiguration: Codable, Sendable, Equatable {
        /// The configuration's properties.
        public struct Properties: Codable, Sendable, Equatable {
            /// The subnet the address comes from.
            public var subnet: SubResource?
            /// The private address.
            public var privateIPAddress: String?
            /// `Dynamic` or `Static`.
            public var privateIPAllocationMethod: String?
            /// `IPv4`.
            public var privateIPAddressVersion: String?
            /// Whether this is the primary configuration.
            public var primary: Bool?
            /// A public address (LocalCloud workers have none).
            public var publicIPAddress: SubResource?
            /// `Succeeded`.
            public var provisioningState: String?
            /// For a private endpoint's interface: the DNS names served on this address.
            public var privateLinkConnectionProperties: PrivateLinkConnectionProperties?
        }

        /// The ARM ID.
        public var id: String?
        /// The name, for example `ipconfig1`.
        public var name: String?
        /// `Microsoft.Network/networkInterfaces/ipConfigurations`.
        public var type: String?
        /// The properties.
        public var properties: Properties?
    }

    /// What a private endpoint's interface serves: `groupId`, `requiredMemberName`, `fqdns`.
    public struct PrivateLinkConnectionProperties: Codable, Sendable, Equatable {
        /// `blob`, `queue` or `disks`.
        public var groupId: String?
        /// The member name, for example `blob` or `diskAccess_1`.
        public var requiredMemberName: String?
        /// The DNS names.
        public var fqdns: [String]?
    }

    /// The interface's properties.
    public struct Properties: Codable, Sendable, Equatable {
        /// The IP configurations.
        public var ipConfigurations: [IPConfiguration]?
        /// The VM using the interface (read-only).
        public var virtualMachine: SubResource?
        /// The private endpoint owning the interface (read-only).
        public var privateEndpoint: SubResource?
        /// A MAC address.
        public var macAddress: String?
        /// Whether it is the VM's primary interface.
        public var primary: Bool?
        /// Whether accelerated networking is on.
        public var enableAcceleratedNetworking: Bool?
        /// Whether IP forwarding is on.
        public var enableIPForwarding: Bool?
        /// `Standard`.
        public var nicType: String?
        /// `Succeeded`.
        public var provisioningState: String?
        /// A GUID of the interface.
        public var resourceGuid: String?
    }

    /// The ARM ID.
    public var id: String?
    /// The name.
    public var name: String?
    /// `Microsoft.Network/networkInterfaces`.
    public var type: String?
    /// An opaque version tag.
    public var etag: String?
    /// The region.
    public var location: String
    /// Tags.
    public var tags: [String: String]?
    /// The properties.
    public var properties: Properties?

    /// The resource type.
    public static let resourceType = "Microsoft.Network/networkInterfaces"

    /// The subnet of the primary (or first) IP configuration.
    public var subnetId: String? {
        let configurations = properties?.ipConfigurations ?? []
        let primary = configurations.first { $0.properties?.primary == true } ?? configurations.first
        return primary?.properties?.subnet?.id
    }
}
