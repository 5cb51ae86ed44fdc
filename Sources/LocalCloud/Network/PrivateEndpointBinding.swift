/// What one private endpoint connects: its own loopback address, the network it sits in, and the service it reaches.
public struct PrivateEndpointBinding: Codable, Sendable, Hashable {
    /// The loopback address (`127.x.y.z`) on which LocalCloud listens for this endpoint.
    public var address: String
    /// The private endpoint's ARM ID.
    public var privateEndpointId: String
    /// The ARM ID of the virtual network of the endpoint's subnet.
    public var virtualNetworkId: String
    /// The ARM ID of the endpoint's subnet.
    public var subnetId: String
    /// The ARM ID of the resource reached: a storage account or a disk access.
    public var targetId: String
    /// The sub-resource reached: `blob`, `queue` or `disks`.
    public var groupId: String

    /// Creates a binding.
    public init(
        address: String,
        privateEndpointId: String,
        virtualNetworkId: String,
        subnetId: String,
        targetId: String,
        groupId: String
    ) {
        self.address = address
        self.privateEndpointId = privateEndpointId
        self.virtualNetworkId = virtualNetworkId
        self.subnetId = subnetId
        self.targetId = targetId
        self.groupId = groupId
    }

    /// The target's resource name (last segment of its ID).
    public var targetName: String {
        String(targetId.split(separator: "/").last ?? "")
    }

    /// The host names a guest resolves to this endpoint's address, as Azure's private DNS zones would:
    /// `<account>.blob.core.windows.net` and `<account>.privatelink.blob.core.windows.net`, likewise for queues;
    /// `<disk access>.privatelink.blob.core.windows.net` for disks.
    public var hostNames: [String] {
        switch groupId.lowercased() {
        case "blob", "queue":
            let service = groupId.lowercased()
            return [
                "\(targetName).\(service).core.windows.net", "\(targetName).privatelink.\(service).core.windows.net",
            ]
        default:
            return ["\(targetName).privatelink.blob.core.windows.net"]
        }
    }
}
