import Foundation
import Logging
import NIOCore
import NIOHTTP1

extension ARMClient {
    /// The path of a managed disk.
    public func diskPath(resourceGroup: String, name: String) -> String {
        resourcePath(resourceGroup: resourceGroup, provider: "Microsoft.Compute", type: "disks", name: name)
    }

    /// Creates or updates a managed disk (empty, copy of a snapshot, or upload) and waits.
    @discardableResult
    public func createDisk(resourceGroup: String, name: String, disk: Disk, logger: Logger) async throws -> Disk {
        let path = diskPath(resourceGroup: resourceGroup, name: name)
        return try await longRunning(
            .PUT,
            path: path,
            apiVersion: ARMAPIVersion.disks,
            body: disk,
            operation: "arm.disk.create",
            logger: logger
        )
        .decode(resource: path)
    }

    /// Creates an empty disk of `sizeGB` GiB and waits.
    @discardableResult
    public func createEmptyDisk(
        resourceGroup: String,
        name: String,
        location: String,
        sizeGB: Int,
        sku: String = "StandardSSD_LRS",
        tags: [String: String]? = nil,
        logger: Logger
    ) async throws -> Disk {
        let disk = Disk(
            location: location,
            tags: tags,
            sku: ARMSku(name: sku),
            properties: DiskProperties(creationData: DiskCreationData(createOption: "Empty"), diskSizeGB: sizeGB)
        )
        return try await createDisk(resourceGroup: resourceGroup, name: name, disk: disk, logger: logger)
    }

    /// Creates a disk holding a copy of a snapshot (restore) and waits.
    @discardableResult
    public func createDiskFromSnapshot(
        resourceGroup: String,
        name: String,
        location: String,
        snapshotID: String,
        sku: String = "StandardSSD_LRS",
        tags: [String: String]? = nil,
        logger: Logger
    ) async throws -> Disk {
        let disk = Disk(
            location: location,
            tags: tags,
            sku: ARMSku(name: sku),
            properties: DiskProperties(
                creationData: DiskCreationData(createOption: "Copy", sourceResourceId: snapshotID)
            )
        )
        return try await createDisk(resourceGroup: resourceGroup, name: name, disk: disk, logger: logger)
    }

    /// Creates a disk in `ReadyToUpload` state for `dataSize` bytes (the VHD footer's 512 bytes are
    /// added), to be written through ``grantDiskAccess(resourceGroup:name:access:duration:logger:)`` with `.write`.
    @discardableResult
    public func createUploadDisk(
        resourceGroup: String,
        name: String,
        location: String,
        dataSize: Int64,
        sku: String = "StandardSSD_LRS",
        tags: [String: String]? = nil,
        logger: Logger
    ) async throws -> Disk {
        let disk = Disk(
            location: location,
            tags: tags,
            sku: ARMSku(name: sku),
            properties: DiskProperties(
                creationData: DiskCreationData(createOption: "Upload", uploadSizeBytes: dataSize + 512)
            )
        )
        return try await createDisk(resourceGroup: resourceGroup, name: name, disk: disk, logger: logger)
    }

    /// A managed disk, or `nil` if absent.
    public func disk(resourceGroup: String, name: String, logger: Logger) async throws -> Disk? {
        try await getIfExists(
            path: diskPath(resourceGroup: resourceGroup, name: name),
            apiVersion: ARMAPIVersion.disks,
            logger: logger
        )
    }

    /// The disks of a resource group.
    public func listDisks(resourceGroup: String, logger: Logger) -> AzurePagedSequence<Disk> {
        list(
            path: "\(resourceGroupPath(resourceGroup))/providers/Microsoft.Compute/disks",
            apiVersion: ARMAPIVersion.disks,
            logger: logger
        )
    }

    /// Deletes a disk and waits (a missing disk is not an error).
    public func deleteDisk(resourceGroup: String, name: String, logger: Logger) async throws {
        try await longRunning(
            .DELETE,
            path: diskPath(resourceGroup: resourceGroup, name: name),
            apiVersion: ARMAPIVersion.disks,
            operation: "arm.disk.delete",
            logger: logger
        )
    }

    /// Grants SAS access to a disk (beginGetAccess) and returns the SAS URL.
    public func grantDiskAccess(
        resourceGroup: String,
        name: String,
        access: DiskAccessLevel,
        duration: Duration,
        logger: Logger
    ) async throws -> String {
        try await grantAccess(
            path: diskPath(resourceGroup: resourceGroup, name: name),
            access: access,
            duration: duration,
            logger: logger
        )
    }

    /// Revokes a disk's SAS (endGetAccess) and waits.
    public func revokeDiskAccess(resourceGroup: String, name: String, logger: Logger) async throws {
        try await revokeAccess(path: diskPath(resourceGroup: resourceGroup, name: name), logger: logger)
    }

    func grantAccess(path: String, access: DiskAccessLevel, duration: Duration, logger: Logger) async throws -> String {
        let response = try await longRunning(
            .POST,
            path: path + "/beginGetAccess",
            apiVersion: ARMAPIVersion.disks,
            body: GrantAccessData(access: access, durationInSeconds: Int(duration.components.seconds)),
            finalState: .location,
            operation: "arm.access.grant",
            logger: logger
        )
        // The result is the Location answer `{"accessSAS":…}`, or the operation's `properties.output`.
        let json = response.json
        if let sas = json["accessSAS"]?.stringValue ?? json["properties"]?["output"]?["accessSAS"]?.stringValue {
            return sas
        }
        throw AzureError(
            .invalidResponse,
            status: response.status,
            message: "beginGetAccess on \(path) finished without an accessSAS.",
            requestID: response.headers.first(name: "x-ms-request-id"),
            resource: path
        )
    }

    func revokeAccess(path: String, logger: Logger) async throws {
        try await longRunning(
            .POST,
            path: path + "/endGetAccess",
            apiVersion: ARMAPIVersion.disks,
            finalState: ARMFinalState.none,
            operation: "arm.access.revoke",
            logger: logger
        )
    }
}
