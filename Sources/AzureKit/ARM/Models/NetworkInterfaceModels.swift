/// Properties of a network interface.
public struct NetworkInterfaceProperties: Codable, Sendable {
    /// The IP configurations (the first is primary).
    public var ipConfigurations: [NetworkInterfaceIPConfiguration]?
    /// The VM using the NIC (read-only).
    public var virtualMachine: ARMReference?
    /// Provisioning state.
    public var provisioningState: String?

    /// Creates properties with one dynamic private IP in `subnetID` and no public IP.
    public init(subnetID: String) {
        self.ipConfigurations = [
            NetworkInterfaceIPConfiguration(
                name: "ipconfig1",
                properties: .init(subnet: ARMReference(id: subnetID), privateIPAllocationMethod: "Dynamic")
            )
        ]
    }
}

/// An IP configuration of a network interface.
public struct NetworkInterfaceIPConfiguration: Codable, Sendable {
    /// The configuration name.
    public var name: String?
    /// Properties.
    public var properties: Properties?

    /// Creates a configuration.
    public init(name: String?, properties: Properties?) {
        self.name = name
        self.properties = properties
    }

    /// Properties of an IP configuration.
    public struct Properties: Codable, Sendable {
        /// The subnet.
        public var subnet: ARMReference?
        /// `Dynamic` or `Static`.
        public var privateIPAllocationMethod: String?
        /// The private IP (read back once allocated).
        public var privateIPAddress: String?

        /// Creates properties.
        public init(subnet: ARMReference, privateIPAllocationMethod: String) {
            self.subnet = subnet
            self.privateIPAllocationMethod = privateIPAllocationMethod
        }
    }
}

/// A network interface.
public typealias NetworkInterface = ARMResource<NetworkInterfaceProperties>
