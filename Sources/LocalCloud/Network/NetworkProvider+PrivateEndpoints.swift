import AzureKit
import Foundation
import HTTPTypes
import Hummingbird

extension NetworkProvider {
    /// The group IDs a private endpoint may name, by target resource type.
    static let groupIDs: [String: Set<String>] = [
        "microsoft.storage/storageaccounts": [
            "blob", "queue", "table", "file", "dfs", "web", "blob_secondary", "queue_secondary",
        ],
        "microsoft.compute/diskaccesses": ["disks"],
    ]

    func handlePrivateEndpoint(_ request: ARMRequest, cloud: CloudServices) async throws -> ARMResponse {
        let routes = ResourceRoutes(
            type: PrivateEndpoint.resourceType,
            put: { request, id in try await putPrivateEndpoint(request, id: id, cloud: cloud) },
            delete: { request, stored in
                try await removePrivateEndpoint(stored, cloud: cloud)
                return try await ProviderSupport.acceptedAction(
                    request,
                    location: stored.body["location"]?.stringValue ?? "",
                    cloud: cloud
                )
            }
        )
        return try await routes.handle(request, cloud: cloud)
    }

    private func putPrivateEndpoint(_ request: ARMRequest, id: String, cloud: CloudServices) async throws -> ARMResponse
    {
        let location = try ProviderSupport.location(request.body, cloud: cloud)
        var endpoint = try ModelCoding.model(PrivateEndpoint.self, from: request.body, what: "a private endpoint")
        let tags = try ARMValidation.tags(request.body?["tags"])
        let existing = cloud.resources.get(id)
        guard let subnetId = endpoint.properties?.subnet?.id else {
            throw ARMError.invalidParameter("properties.subnet", "Private endpoint \(id) needs a subnet.")
        }
        guard let found = Self.subnet(subnetId, cloud: cloud), found.network.location == location else {
            throw Self.invalidReference(subnetId, by: id)
        }
        var connections = endpoint.connections
        guard connections.count == 1 else {
            throw ARMError.invalidParameter(
                "properties.privateLinkServiceConnections",
                "Private endpoint \(id) needs exactly one private link service connection."
            )
        }
        var connection = connections[0]
        guard let targetId = connection.properties?.privateLinkServiceId,
            let target = cloud.resources.get(targetId)
        else {
            throw Self.invalidReference(connection.properties?.privateLinkServiceId ?? "(none)", by: id)
        }
        let targetType = (target.body["type"]?.stringValue ?? "").lowercased()
        let groups = connection.properties?.groupIds ?? []
        guard let allowed = Self.groupIDs[targetType], groups.count == 1, let group = groups.first,
            allowed.contains(group.lowercased())
        else {
            throw ARMError(
                .badRequest,
                "PrivateEndpointBadRequest",
                "Private endpoint \(id) names group IDs \(groups) that \(targetId) does not offer; use one of "
                    + "\((Self.groupIDs[targetType] ?? []).sorted())."
            )
        }
        let oldAddress = existing?.hidden["address"]?.stringValue
        if let oldAddress,
            existing?.body["properties"]?["subnet"]?["id"]?.stringValue?.lowercased() != subnetId.lowercased()
        {
            throw ARMError(
                .badRequest,
                "CannotChangePrivateEndpointSubnet",
                "Private endpoint \(id) already sits in another subnet at \(oldAddress); delete it to move it."
            )
        }
        if let existing { try await unbind(existing, cloud: cloud) }
        let address =
            oldAddress
            ?? PrivateAddressAllocator().next(excluding: Set(cloud.privateEndpoints.all.map(\.address.host)))
        let binding = PrivateEndpointBinding(
            address: address,
            privateEndpointId: id,
            virtualNetworkId: found.network.id ?? ResourceIDs.parent(subnetId),
            subnetId: subnetId,
            targetId: target.id,
            groupId: group.lowercased()
        )
        let interfaceId = try await putEndpointInterface(
            endpointId: id,
            existing: existing,
            location: location,
            binding: binding,
            cloud: cloud
        )
        let connectionName = connection.name ?? "\(ResourceIDs.name(id))-connection"
        connection.name = connectionName
        connection.id = "\(id)/privateLinkServiceConnections/\(connectionName)"
        connection.type = "Microsoft.Network/privateEndpoints/privateLinkServiceConnections"
        connection.etag = "W/\"\(ProviderSupport.guid())\""
        connection.properties?.privateLinkServiceConnectionState = .autoApproved
        connection.properties?.provisioningState = "Succeeded"
        connection.properties?.groupIds = [group.lowercased()]
        connections = [connection]
        endpoint.id = id
        endpoint.name = ResourceIDs.name(id)
        endpoint.type = PrivateEndpoint.resourceType
        endpoint.location = location
        endpoint.etag = "W/\"\(ProviderSupport.guid())\""
        var properties = endpoint.properties ?? PrivateEndpoint.Properties()
        properties.privateLinkServiceConnections = connections
        properties.manualPrivateLinkServiceConnections = []
        properties.networkInterfaces = [SubResource(id: interfaceId)]
        properties.customDnsConfigs = binding.hostNames.prefix(1).map {
            PrivateEndpoint.DnsConfig(fqdn: $0, ipAddresses: [address])
        }
        properties.provisioningState = "Succeeded"
        endpoint.properties = properties
        var body = try ModelCoding.value(endpoint)
        if let tags { body["tags"] = tags }
        let stored = StoredResource(id: id, body: body, hidden: ["address": .string(address)])
        try await cloud.resources.put(stored)
        try await bind(stored, address: address, cloud: cloud)
        let operation = try await cloud.operations.completed(request, location: location, result: nil)
        return cloud.operations.accepted(
            operation,
            request: request,
            status: existing == nil ? .created : .ok,
            body: body,
            headers: .asyncOperation
        )
    }

    /// Creates or replaces the NIC that holds a private endpoint's address; returns its ID.
    private func putEndpointInterface(
        endpointId: String,
        existing: StoredResource?,
        location: String,
        binding: PrivateEndpointBinding,
        cloud: CloudServices
    ) async throws -> String {
        let interfaceId =
            existing?.body["properties"]?["networkInterfaces"]?.arrayValue?.first?["id"]?.stringValue
            ?? "\(ResourceIDs.parent(ResourceIDs.parent(endpointId)))/providers/Microsoft.Network/networkInterfaces/"
            + "\(ResourceIDs.name(endpointId)).nic.\(ProviderSupport.guid())"
        let memberName = binding.groupId == "disks" ? "diskAccess_1" : binding.groupId
        let configurationName = "privateEndpointIpConfig.\(ProviderSupport.guid())"
        let interface: AzureJSON = [
            "id": .string(interfaceId),
            "name": .string(ResourceIDs.name(interfaceId)),
            "type": .string(NetworkInterface.resourceType),
            "location": .string(location),
            "etag": .string("W/\"\(ProviderSupport.guid())\""),
            "properties": [
                "provisioningState": "Succeeded",
                "resourceGuid": .string(ProviderSupport.guid()),
                "nicType": "Standard",
                "macAddress": "",
                "enableAcceleratedNetworking": false,
                "enableIPForwarding": false,
                "privateEndpoint": ["id": .string(endpointId)],
                "ipConfigurations": [
                    [
                        "id": .string("\(interfaceId)/ipConfigurations/\(configurationName)"),
                        "name": .string(configurationName),
                        "type": "Microsoft.Network/networkInterfaces/ipConfigurations",
                        "properties": [
                            "provisioningState": "Succeeded",
                            "privateIPAddress": .string(binding.address),
                            "privateIPAllocationMethod": "Dynamic",
                            "privateIPAddressVersion": "IPv4",
                            "primary": true,
                            "subnet": ["id": .string(binding.subnetId)],
                            "privateLinkConnectionProperties": [
                                "groupId": .string(binding.groupId),
                                "requiredMemberName": .string(memberName),
                                "fqdns": .array(binding.hostNames.prefix(1).map { .string($0) }),
                            ],
                        ],
                    ]
                ],
            ],
        ]
        try await cloud.resources.put(StoredResource(id: interfaceId, body: interface))
        return interfaceId
    }

    /// Starts the endpoint's listener and registers its binding; tells the VMs of its network.
    func bind(_ endpoint: StoredResource, address: String, cloud: CloudServices) async throws {
        guard let binding = GuestNetwork.binding(of: endpoint, cloud: cloud) else { return }
        if let port = cloud.publicAddress?.port {
            let tls = cloud.publicAddress.map { cloud.listeners.isTLS($0) } ?? true
            do {
                try await cloud.listeners.add(host: address, port: port, tls: tls)
            } catch {
                throw ARMError(
                    .internalServerError,
                    "InternalServerError",
                    "LocalCloud could not listen on \(address):\(port) for private endpoint \(endpoint.id): \(error)"
                )
            }
            cloud.privateEndpoints.register(
                PrivateEndpointRegistry.Binding(
                    address: ListenerAddress(host: address, port: port),
                    targetResourceID: binding.targetId,
                    groupID: binding.groupId,
                    privateEndpointID: endpoint.id
                )
            )
        }
        await GuestNetwork.refresh(virtualNetworkId: binding.virtualNetworkId, cloud: cloud)
    }

    /// Stops the endpoint's listener and drops its bindings.
    private func unbind(_ endpoint: StoredResource, cloud: CloudServices) async throws {
        for removed in cloud.privateEndpoints.unregister(privateEndpointID: endpoint.id) {
            await cloud.listeners.remove(removed.address)
        }
    }

    /// Removes an endpoint: its listener, bindings, NIC and resource; tells the VMs of its network.
    func removePrivateEndpoint(_ endpoint: StoredResource, cloud: CloudServices) async throws {
        let network = GuestNetwork.binding(of: endpoint, cloud: cloud)?.virtualNetworkId
        try await unbind(endpoint, cloud: cloud)
        for interface in endpoint.body["properties"]?["networkInterfaces"]?.arrayValue ?? [] {
            if let interfaceId = interface["id"]?.stringValue { try await cloud.resources.delete(interfaceId) }
        }
        try await cloud.resources.delete(endpoint.id)
        if let network { await GuestNetwork.refresh(virtualNetworkId: network, cloud: cloud) }
    }
}
