import AzureKit
import Foundation
import HTTPTypes
import Hummingbird

extension ComputeProvider {
    func handleDiskAccess(_ request: ARMRequest, cloud: CloudServices) async throws -> ARMResponse {
        let segments = request.typeSegments
        if segments.count == 1 {
            guard request.method == .get else {
                throw ARMError.methodNotAllowed(request.method.rawValue, path: request.path)
            }
            let bodies = ProviderSupport.resources(ofType: DiskAccess.resourceType, in: request, cloud: cloud)
                .map { renderDiskAccess($0.body, cloud: cloud) }
            return ProviderSupport.list(bodies, request: request, cloud: cloud)
        }
        let id = request.resourceID(segments: 2)
        guard let stored = cloud.resources.get(id) else {
            if segments.count == 2, request.method == .put {
                return try await putDiskAccess(request, id: id, cloud: cloud)
            }
            if segments.count == 2, request.method == .delete { return .noContent }
            throw ARMError.resourceNotFound(
                type: DiskAccess.resourceType,
                name: segments[1],
                resourceGroup: request.resourceGroup
            )
        }
        if segments.count >= 3 {
            guard request.method == .get else {
                throw ARMError.methodNotAllowed(request.method.rawValue, path: request.path)
            }
            switch segments[2].lowercased() {
            case "privatelinkresources":
                let resource: AzureJSON = [
                    "id": .string("\(id)/privateLinkResources/disks"),
                    "name": "disks",
                    "type": "Microsoft.Compute/diskAccesses/privateLinkResources",
                    "properties": [
                        "groupId": "disks", "requiredMembers": ["diskAccess_1"],
                        "requiredZoneNames": ["privatelink.blob.core.windows.net"],
                    ],
                ]
                return .ok(["value": [resource]])
            case "privateendpointconnections":
                let connections = privateEndpointConnections(of: id, cloud: cloud)
                if segments.count == 4 {
                    guard let match = connections.first(where: { $0.name?.lowercased() == segments[3].lowercased() })
                    else {
                        throw ProviderSupport.notFound(request)
                    }
                    return .ok(try ModelCoding.value(match))
                }
                return .ok(["value": .array(try connections.map { try ModelCoding.value($0) })])
            default:
                throw ProviderSupport.notFound(request)
            }
        }
        switch request.method {
        case .get:
            return .ok(renderDiskAccess(stored.body, cloud: cloud))
        case .put:
            return try await putDiskAccess(request, id: id, cloud: cloud)
        case .patch:
            let tags = try ARMValidation.tags(request.body?["tags"])
            let updated = try await cloud.resources.update(id) { if let tags { $0.body["tags"] = tags } }
            return try await acceptedDiskWrite(
                request,
                body: renderDiskAccess(updated?.body ?? .null, cloud: cloud),
                status: .ok,
                cloud: cloud
            )
        case .delete:
            if !privateEndpointConnections(of: id, cloud: cloud).isEmpty {
                throw ARMError(
                    .conflict,
                    "OperationNotAllowed",
                    "Disk access \(ResourceIDs.name(id)) still has private endpoint connections; delete those "
                        + "private endpoints first."
                )
            }
            try await cloud.resources.delete(id)
            return try await ProviderSupport.acceptedAction(
                request,
                location: stored.body["location"]?.stringValue ?? "",
                cloud: cloud
            )
        default:
            throw ARMError.methodNotAllowed(request.method.rawValue, path: request.path)
        }
    }

    private func putDiskAccess(_ request: ARMRequest, id: String, cloud: CloudServices) async throws -> ARMResponse {
        let location = try ProviderSupport.location(request.body, cloud: cloud)
        let tags = try ARMValidation.tags(request.body?["tags"])
        if let existing = cloud.resources.get(id) {
            guard existing.body["location"]?.stringValue == location else {
                throw ARMError(
                    .conflict,
                    "PropertyChangeNotAllowed",
                    "Changing property 'location' is not allowed for disk access \(id).",
                    target: "location"
                )
            }
            let updated = try await cloud.resources.update(id) { if let tags { $0.body["tags"] = tags } }
            return try await acceptedDiskWrite(
                request,
                body: renderDiskAccess(updated?.body ?? .null, cloud: cloud),
                status: .ok,
                cloud: cloud
            )
        }
        var access = DiskAccess(location: location)
        access.id = id
        access.name = ResourceIDs.name(id)
        access.type = DiskAccess.resourceType
        var properties = DiskAccess.Properties()
        properties.provisioningState = "Succeeded"
        properties.timeCreated = ProviderSupport.timestamp()
        access.properties = properties
        var body = try ModelCoding.value(access)
        body["tags"] = tags ?? .emptyObject
        try await cloud.resources.put(StoredResource(id: id, body: body))
        return try await acceptedDiskWrite(request, body: body, status: .accepted, cloud: cloud)
    }

    /// The disk access body with its private endpoint connections.
    func renderDiskAccess(_ body: AzureJSON, cloud: CloudServices) -> AzureJSON {
        var body = body
        let id = body["id"]?.stringValue ?? ""
        let connections = privateEndpointConnections(of: id, cloud: cloud).compactMap { try? ModelCoding.value($0) }
        body["properties"]?["privateEndpointConnections"] = .array(connections)
        return body
    }

    /// The connections of the private endpoints that target a disk access.
    func privateEndpointConnections(of accessId: String, cloud: CloudServices) -> [PrivateEndpointConnection] {
        ProviderSupport.allResources(ofType: PrivateEndpoint.resourceType, cloud: cloud).compactMap { endpoint in
            guard let binding = GuestNetwork.binding(of: endpoint, cloud: cloud),
                binding.targetId.lowercased() == accessId.lowercased()
            else { return nil }
            let name = ResourceIDs.name(endpoint.id)
            return PrivateEndpointConnection(
                id: "\(accessId)/privateEndpointConnections/\(name)",
                name: name,
                type: "Microsoft.Compute/diskAccesses/privateEndpointConnections",
                properties: PrivateEndpointConnection.Properties(
                    privateEndpoint: SubResource(id: endpoint.id),
                    privateLinkServiceConnectionState: .autoApproved,
                    provisioningState: "Succeeded",
                    groupIds: ["disks"]
                )
            )
        }
    }
}
