import AzureKit
import Foundation
import HTTPTypes
import Hummingbird

extension ComputeProvider {
    func handleDisk(_ request: ARMRequest, cloud: CloudServices) async throws -> ARMResponse {
        let routes = ResourceRoutes(
            type: Disk.resourceType,
            put: { request, id in try await putDisk(request, id: id, cloud: cloud) },
            patch: { request, stored in try await patchAccessSettings(request, stored, cloud: cloud) },
            delete: { request, stored in
                if let owner = stored.body["managedBy"]?.stringValue {
                    throw ARMError(
                        .conflict,
                        "OperationNotAllowed",
                        "Disk \(ResourceIDs.name(stored.id)) is attached to VM \(owner); detach it or delete the VM "
                            + "first."
                    )
                }
                try await DiskStorage(disks: disks, cloud: cloud).delete(stored)
                return try await ResourceRoutes.removed(stored, request: request, cloud: cloud)
            },
            action: { name, stored, request in
                try await accessAction(name, resource: stored, request: request, cloud: cloud)
            }
        )
        return try await routes.handle(request, cloud: cloud)
    }

    private func putDisk(_ request: ARMRequest, id: String, cloud: CloudServices) async throws -> ARMResponse {
        let location = try ProviderSupport.location(request.body, cloud: cloud)
        let tags = try ARMValidation.tags(request.body?["tags"])
        let disk = try ModelCoding.model(Disk.self, from: request.body, what: "a disk")
        if let updated = try await putExisting(request, id: id, location: location, what: "disk", cloud: cloud) {
            return updated
        }
        var properties = disk.properties
        try checkAccessPolicy(
            properties.networkAccessPolicy,
            diskAccessId: properties.diskAccessId,
            location: location,
            cloud: cloud
        )
        let storage = DiskStorage(disks: disks, cloud: cloud)
        let sku = disk.sku?.name ?? "Standard_LRS"
        switch properties.creationData.createOption.lowercased() {
        case "empty":
            guard let sizeGB = properties.diskSizeGB, sizeGB > 0, Int64(sizeGB) << 30 <= DiskStorage.maximumSize else {
                throw ARMError.invalidParameter(
                    "diskSizeGB",
                    "Disk \(ResourceIDs.name(id)) needs a diskSizeGB between 1 and 32767 for createOption Empty."
                )
            }
            properties.creationData.createOption = "Empty"
            try await storage.createDisk(
                id: id,
                location: location,
                sizeBytes: Int64(sizeGB) << 30,
                properties: properties,
                sku: sku,
                managedBy: nil,
                tags: tags
            )
        case "copy":
            guard let sourceId = properties.creationData.sourceResourceId else {
                throw ARMError.invalidParameter(
                    "creationData.sourceResourceId",
                    "Disk \(ResourceIDs.name(id)) needs creationData.sourceResourceId for createOption Copy."
                )
            }
            let source = try copySource(sourceId, for: id, location: location, cloud: cloud)
            properties.creationData.createOption = "Copy"
            try await storage.createCopy(
                id: id,
                location: location,
                of: source,
                sizeBytes: properties.diskSizeGB.map { Int64($0) << 30 },
                properties: properties,
                sku: sku,
                tags: tags
            )
        case "upload":
            let minimum: Int64 = 20 * 1024 * 1024 + 512
            guard let size = properties.creationData.uploadSizeBytes, size >= minimum,
                size <= DiskStorage.maximumSize + 512, (size - 512) % (1024 * 1024) == 0
            else {
                throw ARMError.invalidParameter(
                    "creationData.uploadSizeBytes",
                    "Disk \(ResourceIDs.name(id)) needs uploadSizeBytes of a fixed VHD: a multiple of 1 MiB plus "
                        + "512 bytes, at least 20 MiB + 512."
                )
            }
            properties.creationData.createOption = "Upload"
            try await storage.createUploadDisk(
                id: id,
                location: location,
                uploadSize: size,
                properties: properties,
                sku: sku,
                tags: tags
            )
        default:
            throw ARMError.invalidParameter(
                "creationData.createOption",
                "LocalCloud creates disks with createOption Empty, Copy or Upload, not "
                    + "'\(properties.creationData.createOption)'."
            )
        }
        let body = cloud.resources.get(id)?.body ?? .null
        var response = body
        response["properties"]?["provisioningState"] = "Updating"
        return try await acceptedDiskWrite(request, body: response, status: .accepted, cloud: cloud)
    }

    /// The disk or snapshot a copy starts from, checked to exist and to be in `location`.
    func copySource(_ sourceId: String, for id: String, location: String, cloud: CloudServices) throws -> StoredResource
    {
        guard let source = cloud.resources.get(sourceId),
            ResourceIDs.isType(source.id, Disk.resourceType) || ResourceIDs.isType(source.id, Snapshot.resourceType)
        else {
            throw Self.referenceNotFound(sourceId, by: id)
        }
        let sourceLocation = source.body["location"]?.stringValue ?? ""
        guard sourceLocation == location else { throw ARMError.notInThisLocation() }
        return source
    }

    /// A PUT on a disk or snapshot that exists already: its location must stay, and the updatable settings change.
    /// `nil` when nothing exists at `id` (the PUT creates it).
    func putExisting(_ request: ARMRequest, id: String, location: String, what: String, cloud: CloudServices)
        async throws
        -> ARMResponse?
    {
        guard let existing = cloud.resources.get(id) else { return nil }
        guard existing.body["location"]?.stringValue == location else {
            throw ARMError(
                .conflict,
                "PropertyChangeNotAllowed",
                "Changing property 'location' is not allowed for \(what) \(id).",
                target: "location"
            )
        }
        return try await patchAccessSettings(request, existing, cloud: cloud)
    }

    /// A PATCH of a disk or snapshot: the updatable settings change; `200` with both polling headers.
    func patchAccessSettings(_ request: ARMRequest, _ stored: StoredResource, cloud: CloudServices) async throws
        -> ARMResponse
    {
        let body = try await updateAccessSettings(stored, with: request.body, cloud: cloud)
        return try await acceptedDiskWrite(request, body: body, status: .ok, cloud: cloud)
    }

    /// Applies the updatable settings of a PUT or PATCH body (tags, `networkAccessPolicy`, `diskAccessId`,
    /// `publicNetworkAccess`) to a stored disk or snapshot; returns the new body.
    func updateAccessSettings(_ stored: StoredResource, with body: AzureJSON?, cloud: CloudServices) async throws
        -> AzureJSON
    {
        let tags = try ARMValidation.tags(body?["tags"])
        let properties = body?["properties"]
        var policy = stored.body["properties"]?["networkAccessPolicy"]?.stringValue.flatMap(
            NetworkAccessPolicy.init(parsing:)
        )
        if let text = properties?["networkAccessPolicy"]?.stringValue {
            guard let parsed = NetworkAccessPolicy(parsing: text) else {
                throw ARMError.invalidParameter(
                    "networkAccessPolicy",
                    "networkAccessPolicy must be AllowAll, AllowPrivate or DenyAll, not '\(text)'."
                )
            }
            policy = parsed
        }
        var accessId = stored.body["properties"]?["diskAccessId"]?.stringValue
        if let newAccess = properties?["diskAccessId"] { accessId = newAccess.stringValue }
        if policy != .allowPrivate, properties?["diskAccessId"] == nil { accessId = nil }
        try checkAccessPolicy(
            policy,
            diskAccessId: accessId,
            location: stored.body["location"]?.stringValue ?? "",
            cloud: cloud
        )
        let updated = try await cloud.resources.update(stored.id) { resource in
            if let tags { resource.body["tags"] = tags }
            resource.body["properties"]?["networkAccessPolicy"] = .string((policy ?? .allowAll).name)
            resource.body["properties"]?["diskAccessId"] = accessId.map { .string($0) }
            if let access = properties?["publicNetworkAccess"]?.stringValue {
                resource.body["properties"]?["publicNetworkAccess"] = .string(access)
            }
        }
        return updated?.body ?? .null
    }

    /// Checks that `AllowPrivate` comes with an existing disk access in the same region.
    func checkAccessPolicy(
        _ policy: NetworkAccessPolicy?,
        diskAccessId: String?,
        location: String,
        cloud: CloudServices
    ) throws {
        guard policy == .allowPrivate else { return }
        guard let diskAccessId else {
            throw ARMError.invalidParameter(
                "diskAccessId",
                "networkAccessPolicy AllowPrivate needs diskAccessId: the ID of a disk access in the same region."
            )
        }
        guard let access = cloud.resources.get(diskAccessId), ResourceIDs.isType(access.id, DiskAccess.resourceType)
        else {
            throw Self.referenceNotFound(diskAccessId, by: "networkAccessPolicy AllowPrivate")
        }
        guard access.body["location"]?.stringValue == location else {
            throw ARMError.invalidParameter(
                "diskAccessId",
                "The disk access \(diskAccessId) is in '\(access.body["location"]?.stringValue ?? "")'; it must be "
                    + "in the disk's region '\(location)'."
            )
        }
    }

    /// A 202/200 with both polling headers, as Azure's disk resource provider answers writes.
    func acceptedDiskWrite(
        _ request: ARMRequest,
        body: AzureJSON,
        status: HTTPResponse.Status,
        cloud: CloudServices
    ) async throws -> ARMResponse {
        let operation = try await cloud.operations.completed(
            request,
            location: body["location"]?.stringValue ?? "",
            result: cloud.resources.get(request.resourceID(segments: 2))?.body
        )
        return cloud.operations.accepted(operation, request: request, status: status, body: body)
    }
}
