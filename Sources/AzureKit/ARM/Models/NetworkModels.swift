import Foundation
import NIOCore
import NIOHTTP1

/// Properties of a virtual network.
public struct VirtualNetworkProperties: Codable, Sendable {
    /// The address space.
    public var addressSpace: AddressSpace?
    /// The subnets (a PUT without them removes existing subnets).
    public var subnets: [Subnet]?
    /// Provisioning state.
    public var provisioningState: String?

    /// Creates properties.
    public init(addressPrefixes: [String], subnets: [Subnet]) {
        self.addressSpace = AddressSpace(addressPrefixes: addressPrefixes)
        self.subnets = subnets
    }
}

/// `{"addressPrefixes":[…]}`.
public struct AddressSpace: Codable, Sendable, Hashable {
    /// CIDR prefixes.
    public var addressPrefixes: [String]

    /// Creates an address space.
    public init(addressPrefixes: [String]) {
        self.addressPrefixes = addressPrefixes
    }
}

/// A subnet, inside a virtual network or on its own.
public struct Subnet: Codable, Sendable {
    /// The resource ID (read-only).
    public var id: String?
    /// The subnet name.
    public var name: String?
    /// Properties.
    public var properties: SubnetProperties?

    /// Creates a subnet.
    public init(name: String?, properties: SubnetProperties) {
        self.name = name
        self.properties = properties
    }
}

/// Properties of a subnet.
public struct SubnetProperties: Codable, Sendable {
    /// The CIDR prefix.
    public var addressPrefix: String?
    /// `Disabled` (default), `Enabled`, `NetworkSecurityGroupEnabled`, `RouteTableEnabled`.
    public var privateEndpointNetworkPolicies: String?
    /// `Enabled` or `Disabled`.
    public var privateLinkServiceNetworkPolicies: String?
    /// `false` makes a private subnet without implicit internet egress.
    public var defaultOutboundAccess: Bool?
    /// Provisioning state.
    public var provisioningState: String?

    /// Creates properties.
    public init(
        addressPrefix: String,
        privateEndpointNetworkPolicies: String? = nil,
        privateLinkServiceNetworkPolicies: String? = nil,
        defaultOutboundAccess: Bool? = nil
    ) {
        self.addressPrefix = addressPrefix
        self.privateEndpointNetworkPolicies = privateEndpointNetworkPolicies
        self.privateLinkServiceNetworkPolicies = privateLinkServiceNetworkPolicies
        self.defaultOutboundAccess = defaultOutboundAccess
    }
}

/// A virtual network.
public typealias VirtualNetwork = ARMResource<VirtualNetworkProperties>

/// Properties of a private endpoint.
public struct PrivateEndpointProperties: Codable, Sendable {
    /// The subnet the endpoint's NIC lives in.
    public var subnet: ARMReference?
    /// The connections (one group ID each: `blob`, `queue`, `disks`, ...).
    public var privateLinkServiceConnections: [PrivateLinkServiceConnection]?
    /// The NICs holding the private IPs (read-only).
    public var networkInterfaces: [ARMReference]?
    /// DNS names and their private IPs (read-only).
    public var customDnsConfigs: [CustomDNSConfig]?
    /// IP configurations, if static ones were requested.
    public var ipConfigurations: [AzureJSON]?
    /// Provisioning state.
    public var provisioningState: String?

    /// Creates properties for one connection to `resourceID` with `groupIDs` in `subnetID`.
    public init(subnetID: String, connectionName: String, resourceID: String, groupIDs: [String]) {
        self.subnet = ARMReference(id: subnetID)
        self.privateLinkServiceConnections = [
            PrivateLinkServiceConnection(
                name: connectionName,
                properties: .init(privateLinkServiceId: resourceID, groupIds: groupIDs)
            )
        ]
    }
}

/// A connection of a private endpoint to a resource's sub-resource.
public struct PrivateLinkServiceConnection: Codable, Sendable {
    /// The connection name.
    public var name: String?
    /// Properties.
    public var properties: Properties?

    /// Creates a connection.
    public init(name: String?, properties: Properties?) {
        self.name = name
        self.properties = properties
    }

    /// Properties of a connection.
    public struct Properties: Codable, Sendable {
        /// The target resource ID (storage account, disk access).
        public var privateLinkServiceId: String?
        /// The sub-resources, e.g. `["blob"]`.
        public var groupIds: [String]?
        /// `{"status":"Approved"|"Pending"|"Rejected","description":…}`.
        public var privateLinkServiceConnectionState: ConnectionState?

        /// Creates properties.
        public init(privateLinkServiceId: String, groupIds: [String]) {
            self.privateLinkServiceId = privateLinkServiceId
            self.groupIds = groupIds
        }
    }

    /// A connection's approval state.
    public struct ConnectionState: Codable, Sendable, Hashable {
        /// `Approved`, `Pending`, `Rejected`, `Disconnected`.
        public var status: String?
        /// A description, e.g. `Auto-approved`.
        public var description: String?
    }
}

/// A DNS name of a private endpoint with its private IP addresses.
public struct CustomDNSConfig: Codable, Sendable, Hashable {
    /// The name, e.g. `acct.blob.core.windows.net`.
    public var fqdn: String?
    /// The private IPs.
    public var ipAddresses: [String]?
}

/// A private endpoint.
public typealias PrivateEndpoint = ARMResource<PrivateEndpointProperties>
