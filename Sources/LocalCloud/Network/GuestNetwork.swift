import AzureKit
import Foundation

/// Keeps every VM's view of its network current: which private endpoints its virtual network has, written into
/// the VM folder by ``GuestNetworkFiles``.
enum GuestNetwork {
    /// The binding a stored private endpoint describes, or `nil` when it is incomplete.
    static func binding(of endpoint: StoredResource, cloud: CloudServices) -> PrivateEndpointBinding? {
        guard let address = endpoint.hidden["address"]?.stringValue,
            let subnetId = endpoint.body["properties"]?["subnet"]?["id"]?.stringValue,
            let connection = endpoint.body["properties"]?["privateLinkServiceConnections"]?.arrayValue?.first,
            let targetId = connection["properties"]?["privateLinkServiceId"]?.stringValue,
            let group = connection["properties"]?["groupIds"]?.arrayValue?.first?.stringValue
        else { return nil }
        return PrivateEndpointBinding(
            address: address,
            privateEndpointId: endpoint.id,
            virtualNetworkId: ResourceIDs.parent(subnetId),
            subnetId: subnetId,
            targetId: targetId,
            groupId: group
        )
    }

    /// The bindings of every private endpoint in a virtual network.
    static func bindings(inVirtualNetwork networkId: String, cloud: CloudServices) -> [PrivateEndpointBinding] {
        ProviderSupport.allResources(ofType: PrivateEndpoint.resourceType, cloud: cloud)
            .compactMap { binding(of: $0, cloud: cloud) }
            .filter { $0.virtualNetworkId.lowercased() == networkId.lowercased() }
    }

    /// The virtual network of a VM's primary NIC.
    static func virtualNetwork(ofVM vm: AzureJSON, cloud: CloudServices) -> String? {
        guard let model = try? ModelCoding.model(VirtualMachine.self, from: vm, what: "a virtual machine"),
            let interfaceId = model.networkInterfaceIds.first,
            let interface = cloud.resources.get(interfaceId),
            let nic = try? ModelCoding.model(NetworkInterface.self, from: interface.body, what: "a network interface"),
            let subnetId = nic.subnetId
        else { return nil }
        return ResourceIDs.parent(subnetId)
    }

    /// Rewrites the network files of one VM (on ``FileIO``).
    static func refresh(vm: StoredResource, cloud: CloudServices) async {
        guard let root = vm.hidden["root"]?.stringValue else { return }
        var endpoints: [PrivateEndpointBinding] = []
        if let network = virtualNetwork(ofVM: vm.body, cloud: cloud) {
            endpoints = bindings(inVirtualNetwork: network, cloud: cloud)
        }
        let bindings = endpoints
        _ = try? await FileIO.run { try GuestNetworkFiles.write(root: root, bindings: bindings) }
    }

    /// Rewrites the network files of every VM in a virtual network.
    static func refresh(virtualNetworkId: String, cloud: CloudServices) async {
        for vm in ProviderSupport.allResources(ofType: VirtualMachine.resourceType, cloud: cloud)
        where virtualNetwork(ofVM: vm.body, cloud: cloud)?.lowercased() == virtualNetworkId.lowercased() {
            await refresh(vm: vm, cloud: cloud)
        }
    }
}
