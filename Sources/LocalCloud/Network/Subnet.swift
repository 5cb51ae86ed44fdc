/// A subnet of a virtual network (`Microsoft.Network/virtualNetworks/subnets`).
public struct Subnet: Codable, Sendable, Equatable {
    /// The subnet's properties.
    public struct Properties: Codable, Sendable, Equatable {
        /// The address prefix in CIDR form, for example `10.20.1.0/24`.
        public var addressPrefix: String?
        /// Several prefixes, as newer API versions allow.
        public var addressPrefixes: [String]?
        /// `Disabled` (default), `Enabled`, `NetworkSecurityGroupEnabled` or `RouteTableEnabled`.
        public var privateEndpointNetworkPolicies: String?
        /// `Enabled` (default) or `Disabled`.
        public var privateLinkServiceNetworkPolicies: String?
        /// Whether VMs get implicit outbound internet access.
        public var defaultOutboundAccess: Bool?
        /// `Succeeded`.
        public var provisioningState: String?
        /// The NIC IP configurations in the subnet (read-only).
        public var ipConfigurations: [SubResource]?
        /// The private endpoints in the subnet (read-only).
        public var privateEndpoints: [SubResource]?

        /// Creates properties.
        public init(addressPrefix: String?) {
            self.addressPrefix = addressPrefix
        }
    }

    /// The ARM ID.
    public var id: String?
    /// The name.
    public var name: String?
    /// `Microsoft.Network/virtualNetworks/subnets`.
    public var type: String?
    /// An opaque version tag.
    public var etag: String?
    /// The properties.
    public var properties: Properties?

    /// The resource type.
    public static let resourceType = "Microsoft.Network/virtualNetworks/subnets"

    /// Creates a subnet.
    public init(name: String?, properties: Properties?) {
        self.name = name
        self.properties = properties
    }

    /// The first address prefix, from either field.
    public var prefix: String? {
        properties?.addressPrefix ?? properties?.addressPrefixes?.first
    }
}
