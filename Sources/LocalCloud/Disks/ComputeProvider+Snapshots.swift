import AzureKit
import Foundation
import HTTPTypes
import Hummingbird

extension ComputeProvider {
    func handleSnapshot(_ request: ARMRequest, cloud: CloudServices) async throws -> ARMResponse {
        let routes = ResourceRoutes(
            type: Snapshot.resourceType,
            put: { request, id in try await putSnapshot(request, id: id, cloud: cloud) },
            patch: { request, stored in try await patchAccessSettings(request, stored, cloud: cloud) },
            delete: { request, stored in
                try await DiskStorage(disks: disks, cloud: cloud).delete(stored)
                return try await ResourceRoutes.removed(stored, request: request, cloud: cloud)
            },
            action: { name, stored, request in
                try await accessAction(name, resource: stored, request: request, cloud: cloud)
            }
        )
        return try await routes.handle(request, cloud: cloud)
    }

    private func putSnapshot(_ request: ARMRequest, id: String, cloud: CloudServices) async throws -> ARMResponse {
        let location = try ProviderSupport.location(request.body, cloud: cloud)
        let tags = try ARMValidation.tags(request.body?["tags"])
        let snapshot = try ModelCoding.model(Snapshot.self, from: request.body, what: "a snapshot")
        if let updated = try await putExisting(request, id: id, location: location, what: "snapshot", cloud: cloud) {
            return updated
        }
        var properties = snapshot.properties
        let option = properties.creationData.createOption.lowercased()
        guard option == "copy" || option == "copystart" else {
            throw ARMError.invalidParameter(
                "creationData.createOption",
                "LocalCloud creates snapshots with createOption Copy from a disk or snapshot, not "
                    + "'\(properties.creationData.createOption)'."
            )
        }
        guard let sourceId = properties.creationData.sourceResourceId else {
            throw ARMError.invalidParameter(
                "creationData.sourceResourceId",
                "Snapshot \(ResourceIDs.name(id)) needs creationData.sourceResourceId: the disk to snapshot."
            )
        }
        let source = try copySource(sourceId, for: id, location: location, cloud: cloud)
        if source.body["properties"]?["diskState"]?.stringValue == "ReadyToUpload"
            || source.body["properties"]?["diskState"]?.stringValue == "ActiveUpload"
        {
            throw ARMError(
                .conflict,
                "OperationNotAllowed",
                "Disk \(sourceId) is being uploaded; finish the upload (endGetAccess) before taking a snapshot."
            )
        }
        try checkAccessPolicy(
            properties.networkAccessPolicy,
            diskAccessId: properties.diskAccessId,
            location: location,
            cloud: cloud
        )
        properties.creationData.createOption = "Copy"
        let body = try await DiskStorage(disks: disks, cloud: cloud).createSnapshot(
            id: id,
            location: location,
            of: source,
            incremental: properties.incremental ?? false,
            properties: properties,
            sku: snapshot.sku?.name,
            tags: tags
        )
        var response = body
        response["properties"]?["provisioningState"] = "Updating"
        return try await acceptedDiskWrite(request, body: response, status: .accepted, cloud: cloud)
    }
}
