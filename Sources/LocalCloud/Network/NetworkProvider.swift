import AzureKit
import Foundation
import HTTPTypes
import Hummingbird

/// `Microsoft.Network`: virtual networks and their subnets, network interfaces and private endpoints.
///
/// Each private endpoint gets its own loopback address (`127.64.x.y`) on the public port, registered in
/// ``CloudServices/privateEndpoints``; VMs whose NIC sits in the endpoint's virtual network are told the address
/// through ``GuestNetworkFiles``.
struct NetworkProvider: ARMResourceProvider {
    let namespace = "Microsoft.Network"
    let resourceTypes = ["virtualNetworks", "networkInterfaces", "privateEndpoints"]

    func handle(_ request: ARMRequest, cloud: CloudServices) async throws -> ARMResponse {
        let segments = request.typeSegments
        switch segments[0].lowercased() {
        case "virtualnetworks":
            if segments.count >= 3, segments[2].lowercased() == "subnets" {
                return try await handleSubnet(request, cloud: cloud)
            }
            return try await handleVirtualNetwork(request, cloud: cloud)
        case "networkinterfaces":
            return try await handleNetworkInterface(request, cloud: cloud)
        default:
            return try await handlePrivateEndpoint(request, cloud: cloud)
        }
    }

    func deleteForResourceGroup(_ resource: StoredResource, cloud: CloudServices) async throws {
        if ResourceIDs.isType(resource.id, PrivateEndpoint.resourceType) {
            try await removePrivateEndpoint(resource, cloud: cloud)
        } else {
            try await cloud.resources.delete(resource.id)
        }
    }

    func restore(cloud: CloudServices) async throws {
        for resource in ProviderSupport.allResources(ofType: PrivateEndpoint.resourceType, cloud: cloud) {
            guard let address = resource.hidden["address"]?.stringValue else { continue }
            try await bind(resource, address: address, cloud: cloud)
        }
    }

    /// The stored virtual network `id`, decoded.
    static func virtualNetwork(_ id: String, cloud: CloudServices) -> VirtualNetwork? {
        guard let stored = cloud.resources.get(id) else { return nil }
        return try? ModelCoding.model(VirtualNetwork.self, from: stored.body, what: "a virtual network")
    }

    /// The subnet `id` and its virtual network, when both exist.
    static func subnet(_ id: String, cloud: CloudServices) -> (subnet: Subnet, network: VirtualNetwork)? {
        guard let network = virtualNetwork(ResourceIDs.parent(id), cloud: cloud) else { return nil }
        let name = ResourceIDs.name(id).lowercased()
        guard let subnet = network.properties?.subnets?.first(where: { $0.name?.lowercased() == name }) else {
            return nil
        }
        return (subnet, network)
    }

    /// 400 `InvalidResourceReference`, as Azure answers a reference to a missing resource or one in another region.
    static func invalidReference(_ referenced: String, by resource: String) -> ARMError {
        ARMError(
            .badRequest,
            "InvalidResourceReference",
            "Resource \(referenced) referenced by resource \(resource) was not found. Please make sure that the "
                + "referenced resource exists, and that both resources are in the same region."
        )
    }
}
