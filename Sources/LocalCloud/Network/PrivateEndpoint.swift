/// A private endpoint (`Microsoft.Network/privateEndpoints`) to a storage account's blob or queue service or to a
/// disk access.
public struct PrivateEndpoint: Codable, Sendable, Equatable {
    /// One connection to a private link service.
    public struct ServiceConnection: Codable, Sendable, Equatable {
        /// The connection's properties.
        public struct Properties: Codable, Sendable, Equatable {
            /// The storage account or disk access ID.
            public var privateLinkServiceId: String?
            /// The sub-resources: `["blob"]`, `["queue"]` or `["disks"]`.
            public var groupIds: [String]?
            /// A message for manual approval.
            public var requestMessage: String?
            /// The approval state.
            public var privateLinkServiceConnectionState: PrivateLinkServiceConnectionState?
            /// `Succeeded`.
            public var provisioningState: String?
        }

        /// The ARM ID.
        public var id: String?
        /// The connection's name.
        public var name: String?
        /// `Microsoft.Network/privateEndpoints/privateLinkServiceConnections`.
        public var type: String?
        /// An opaque version tag.
        public var etag: String?
        /// The properties.
        public var properties: Properties?
    }

    /// One `customDnsConfigs` entry: a DNS name and the addresses it resolves to inside the network.
    public struct DnsConfig: Codable, Sendable, Equatable {
        /// The DNS name, for example `acct.blob.core.windows.net`.
        public var fqdn: String?
        /// The private addresses.
        public var ipAddresses: [String]?
    }

    /// The endpoint's properties.
    public struct Properties: Codable, Sendable, Equatable {
        /// The subnet the endpoint sits in.
        public var subnet: SubResource?
        /// Auto-approved connections.
        public var privateLinkServiceConnections: [ServiceConnection]?
        /// Connections waiting for approval (LocalCloud approves every connection).
        public var manualPrivateLinkServiceConnections: [ServiceConnection]?
        /// The interface holding the endpoint's address (read-only).
        public var networkInterfaces: [SubResource]?
        /// The DNS names and their addresses (read-only).
        public var customDnsConfigs: [DnsConfig]?
        /// Static IP configurations requested by the caller.
        public var ipConfigurations: [IPConfiguration]?
        /// A name for the endpoint's interface.
        public var customNetworkInterfaceName: String?
        /// `Succeeded`.
        public var provisioningState: String?
    }

    /// A requested static address of a private endpoint.
    public struct IPConfiguration: Codable, Sendable, Equatable {
        /// The configuration's properties.
        public struct Properties: Codable, Sendable, Equatable {
            /// The group, for example `blob`.
            public var groupId: String?
            /// The member name.
            public var memberName: String?
            /// The requested address.
            public var privateIPAddress: String?
        }

        /// The name.
        public var name: String?
        /// The properties.
        public var properties: Properties?
    }

    /// The ARM ID.
    public var id: String?
    /// The name.
    public var name: String?
    /// `Microsoft.Network/privateEndpoints`.
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
    public static let resourceType = "Microsoft.Network/privateEndpoints"

    /// All connections, automatic and manual.
    public var connections: [ServiceConnection] {
        (properties?.privateLinkServiceConnections ?? []) + (properties?.manualPrivateLinkServiceConnections ?? [])
    }
}
