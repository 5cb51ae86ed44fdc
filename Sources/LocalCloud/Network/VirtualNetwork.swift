/// A virtual network (`Microsoft.Network/virtualNetworks`) with its subnets.
public struct VirtualNetwork: Codable, Sendable, Equatable {
    /// `addressSpace`: `{"addressPrefixes": ["10.20.0.0/16"]}`.
    public struct AddressSpace: Codable, Sendable, Equatable {
        /// The address prefixes in CIDR form.
        public var addressPrefixes: [String]?

        /// Creates an address space.
        public init(addressPrefixes: [String]?) {
            self.addressPrefixes = addressPrefixes
        }
    }

    /// The network's properties.
    public struct Properties: Codable, Sendable, Equatable {
        /// The address space.
        public var addressSpace: AddressSpace?
        /// The subnets. A PUT without this array removes existing subnets, as on Azure.
        public var subnets: [Subnet]?
        /// `Succeeded`.
        public var provisioningState: String?
        /// A GUID of the network.
        public var resourceGuid: String?
        /// Whether DDoS protection is enabled (always false here).
        public var enableDdosProtection: Bool?

        /// Creates properties.
        public init(addressSpace: AddressSpace?, subnets: [Subnet]?) {
            self.addressSpace = addressSpace
            self.subnets = subnets
        }
    }

    /// The ARM ID.
    public var id: String?
    /// The name.
    public var name: String?
    /// `Microsoft.Network/virtualNetworks`.
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
    public static let resourceType = "Microsoft.Network/virtualNetworks"

    /// Creates a virtual network.
    public init(location: String, properties: Properties?) {
        self.location = location
        self.properties = properties
    }
}
