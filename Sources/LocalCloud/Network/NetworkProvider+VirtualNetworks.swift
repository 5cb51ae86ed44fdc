import AzureKit
import Foundation
import HTTPTypes
import Hummingbird

extension NetworkProvider {
    func handleVirtualNetwork(_ request: ARMRequest, cloud: CloudServices) async throws -> ARMResponse {
        let render: @Sendable (AzureJSON) -> AzureJSON = { self.render($0, cloud: cloud) }
        let routes = ResourceRoutes(
            type: VirtualNetwork.resourceType,
            render: render,
            put: { request, id in try await putVirtualNetwork(request, id: id, cloud: cloud) },
            patch: ResourceRoutes.updateTags(cloud: cloud, render: render),
            delete: { request, stored in
                for subnet in (stored.body["properties"]?["subnets"]?.arrayValue ?? []) {
                    let subnetId = subnet["id"]?.stringValue ?? ""
                    if isUsed(subnetId, cloud: cloud) { throw subnetInUse(subnetId, cloud: cloud) }
                }
                return try await ResourceRoutes.removed(stored, request: request, cloud: cloud)
            }
        )
        return try await routes.handle(request, cloud: cloud)
    }

    private func putVirtualNetwork(_ request: ARMRequest, id: String, cloud: CloudServices) async throws -> ARMResponse
    {
        let location = try ProviderSupport.location(request.body, cloud: cloud)
        var network = try ModelCoding.model(VirtualNetwork.self, from: request.body, what: "a virtual network")
        let tags = try ARMValidation.tags(request.body?["tags"])
        let existing = cloud.resources.get(id)
        if let existing, existing.body["location"]?.stringValue != location {
            throw ARMError(
                .badRequest,
                "InvalidParameter",
                "The virtual network \(id) already exists in '\(existing.body["location"]?.stringValue ?? "")'; "
                    + "its location cannot change.",
                target: "location"
            )
        }
        let oldNetwork = existing.flatMap { try? ModelCoding.model(VirtualNetwork.self, from: $0.body, what: "") }
        let newNames = Set((network.properties?.subnets ?? []).compactMap { $0.name?.lowercased() })
        for old in oldNetwork?.properties?.subnets ?? [] where !newNames.contains(old.name?.lowercased() ?? "") {
            let subnetId = "\(id)/subnets/\(old.name ?? "")"
            if isUsed(subnetId, cloud: cloud) {
                throw subnetInUse(subnetId, cloud: cloud)
            }
        }
        network.id = id
        network.name = ResourceIDs.name(id)
        network.type = VirtualNetwork.resourceType
        network.location = location
        network.etag = "W/\"\(ProviderSupport.guid())\""
        var properties = network.properties ?? VirtualNetwork.Properties(addressSpace: nil, subnets: nil)
        properties.provisioningState = "Succeeded"
        properties.resourceGuid = oldNetwork?.properties?.resourceGuid ?? ProviderSupport.guid()
        properties.enableDdosProtection = properties.enableDdosProtection ?? false
        properties.subnets = try (properties.subnets ?? []).map { subnet in
            try normalized(subnet, networkId: id)
        }
        network.properties = properties
        var body = try ModelCoding.value(network)
        if let tags { body["tags"] = tags }
        try await cloud.resources.put(StoredResource(id: id, body: body, hidden: existing?.hidden ?? .null))
        let operation = try await cloud.operations.completed(request, location: location, result: nil)
        return cloud.operations.accepted(
            operation,
            request: request,
            status: existing == nil ? .created : .ok,
            body: render(body, cloud: cloud),
            headers: .asyncOperation
        )
    }

    func handleSubnet(_ request: ARMRequest, cloud: CloudServices) async throws -> ARMResponse {
        let networkId = request.resourceID(segments: 2)
        guard let stored = cloud.resources.get(networkId) else {
            throw ARMError.resourceNotFound(
                type: VirtualNetwork.resourceType,
                name: request.typeSegments[1],
                resourceGroup: request.resourceGroup
            )
        }
        let location = stored.body["location"]?.stringValue ?? ""
        let subnets = stored.body["properties"]?["subnets"]?.arrayValue ?? []
        if request.typeSegments.count == 3 {
            guard request.method == .get else {
                throw ARMError.methodNotAllowed(request.method.rawValue, path: request.path)
            }
            return ProviderSupport.list(subnets.map { renderSubnet($0, cloud: cloud) }, request: request, cloud: cloud)
        }
        let name = request.typeSegments[3]
        let id = "\(networkId)/subnets/\(name)"
        let index = subnets.firstIndex { $0["name"]?.stringValue?.lowercased() == name.lowercased() }
        switch request.method {
        case .get:
            guard let index else { throw ProviderSupport.notFound(request) }
            return .ok(renderSubnet(subnets[index], cloud: cloud))
        case .put:
            var subnet = try ModelCoding.model(Subnet.self, from: request.body, what: "a subnet")
            subnet.name = name
            let value = try ModelCoding.value(try normalized(subnet, networkId: networkId))
            try await cloud.resources.update(networkId) { network in
                var list = network.body["properties"]?["subnets"]?.arrayValue ?? []
                if let index { list[index] = value } else { list.append(value) }
                network.body["properties"]?["subnets"] = .array(list)
            }
            let operation = try await cloud.operations.completed(request, location: location, result: nil)
            return cloud.operations.accepted(
                operation,
                request: request,
                status: index == nil ? .created : .ok,
                body: renderSubnet(value, cloud: cloud),
                headers: .asyncOperation
            )
        case .delete:
            guard let index else { return .noContent }
            if isUsed(id, cloud: cloud) { throw subnetInUse(id, cloud: cloud) }
            try await cloud.resources.update(networkId) { network in
                var list = network.body["properties"]?["subnets"]?.arrayValue ?? []
                if index < list.count { list.remove(at: index) }
                network.body["properties"]?["subnets"] = .array(list)
            }
            return try await ProviderSupport.acceptedAction(request, location: location, cloud: cloud)
        default:
            throw ARMError.methodNotAllowed(request.method.rawValue, path: request.path)
        }
    }

    private func normalized(_ subnet: Subnet, networkId: String) throws -> Subnet {
        var subnet = subnet
        guard let name = subnet.name, !name.isEmpty else {
            throw ARMError.invalidParameter("properties.subnets.name", "Every subnet of \(networkId) needs a name.")
        }
        guard let prefix = subnet.prefix, IPv4Prefix(prefix) != nil else {
            throw ARMError(
                .badRequest,
                "InvalidAddressPrefixFormat",
                "The subnet '\(name)' of \(networkId) needs an addressPrefix such as 10.0.1.0/24.",
                target: "properties.subnets.addressPrefix"
            )
        }
        subnet.id = "\(networkId)/subnets/\(name)"
        subnet.type = Subnet.resourceType
        subnet.etag = "W/\"\(ProviderSupport.guid())\""
        var properties = subnet.properties ?? Subnet.Properties(addressPrefix: prefix)
        properties.provisioningState = "Succeeded"
        properties.privateEndpointNetworkPolicies = properties.privateEndpointNetworkPolicies ?? "Disabled"
        properties.privateLinkServiceNetworkPolicies = properties.privateLinkServiceNetworkPolicies ?? "Enabled"
        properties.ipConfigurations = nil
        properties.privateEndpoints = nil
        subnet.properties = properties
        return subnet
    }

    /// The VNet body with each subnet's read-only references filled in.
    func render(_ body: AzureJSON, cloud: CloudServices) -> AzureJSON {
        var body = body
        if let subnets = body["properties"]?["subnets"]?.arrayValue {
            body["properties"]?["subnets"] = .array(subnets.map { renderSubnet($0, cloud: cloud) })
        }
        return body
    }

    /// A subnet with `ipConfigurations` and `privateEndpoints` computed from the NICs and endpoints in it.
    func renderSubnet(_ subnet: AzureJSON, cloud: CloudServices) -> AzureJSON {
        var subnet = subnet
        let id = subnet["id"]?.stringValue ?? ""
        let using = users(ofSubnet: id, cloud: cloud)
        if !using.ipConfigurations.isEmpty {
            subnet["properties"]?["ipConfigurations"] = .array(using.ipConfigurations.map { ["id": .string($0)] })
        }
        if !using.privateEndpoints.isEmpty {
            subnet["properties"]?["privateEndpoints"] = .array(using.privateEndpoints.map { ["id": .string($0)] })
        }
        return subnet
    }

    /// The NIC IP configurations and private endpoints in a subnet.
    func users(ofSubnet subnetId: String, cloud: CloudServices) -> (
        ipConfigurations: [String], privateEndpoints: [String]
    ) {
        let lowered = subnetId.lowercased()
        var configurations: [String] = []
        for nic in ProviderSupport.allResources(ofType: NetworkInterface.resourceType, cloud: cloud) {
            for configuration in nic.body["properties"]?["ipConfigurations"]?.arrayValue ?? []
            where configuration["properties"]?["subnet"]?["id"]?.stringValue?.lowercased() == lowered {
                configurations.append(configuration["id"]?.stringValue ?? nic.id)
            }
        }
        let endpoints = ProviderSupport.allResources(ofType: PrivateEndpoint.resourceType, cloud: cloud)
            .filter { $0.body["properties"]?["subnet"]?["id"]?.stringValue?.lowercased() == lowered }
            .map(\.id)
        return (configurations, endpoints)
    }

    /// Whether any NIC or private endpoint sits in the subnet.
    func isUsed(_ subnetId: String, cloud: CloudServices) -> Bool {
        let using = users(ofSubnet: subnetId, cloud: cloud)
        return !using.ipConfigurations.isEmpty || !using.privateEndpoints.isEmpty
    }

    func subnetInUse(_ subnetId: String, cloud: CloudServices) -> ARMError {
        let using = users(ofSubnet: subnetId, cloud: cloud)
        let names = (using.ipConfigurations + using.privateEndpoints).joined(separator: ", ")
        return ARMError(
            .badRequest,
            "InUseSubnetCannotBeDeleted",
            "Subnet \(ResourceIDs.name(subnetId)) is in use by \(names) and cannot be deleted. In order to delete "
                + "the subnet, delete all the resources within the subnet."
        )
    }
}
