import Foundation
import Logging
import NIOCore
import NIOHTTP1

extension ARMClient {
    /// The path of a managed disk.
    public func diskPath(resourceGroup: String, name: String) -> String {
        managedDiskPath(.disk, resourceGroup: resourceGroup, name: name)
    }

    /// Creates or updates a managed disk (empty, copy of a snapshot, or upload) and waits.
    @discardableResult
    public func createDisk(resourceGroup: String, name: String, disk: Disk, logger: Logger) async throws -> Disk {
        try await putManagedDisk(.disk, resourceGroup: resourceGroup, name: name, body: disk, logger: logger)
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
        try await createDisk(
            resourceGroup,
            name,
            location: location,
            sku: sku,
            tags: tags,
            properties: DiskProperties(creationData: DiskCreationData(createOption: "Empty"), diskSizeGB: sizeGB),
            logger: logger
        )
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
        try await createDisk(
            resourceGroup,
            name,
            location: location,
            sku: sku,
            tags: tags,
            properties: DiskProperties(
                creationData: DiskCreationData(createOption: "Copy", sourceResourceId: snapshotID)
            ),
            logger: logger
        )
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
        try await createDisk(
            resourceGroup,
            name,
            location: location,
            sku: sku,
            tags: tags,
            properties: DiskProperties(
                creationData: DiskCreationData(createOption: "Upload", uploadSizeBytes: dataSize + 512)
            ),
            logger: logger
        )
    }

    /// Creates a disk of SKU `sku` with `properties` and waits (what the three creators share).
    func createDisk(
        _ resourceGroup: String,
        _ name: String,
        location: String,
        sku: String,
        tags: [String: String]?,
        properties: DiskProperties,
        logger: Logger
    ) async throws -> Disk {
        let body = Disk(location: location, tags: tags, sku: ARMSku(name: sku), properties: properties)
        return try await createDisk(resourceGroup: resourceGroup, name: name, disk: body, logger: logger)
    }

    /// A managed disk, or `nil` if absent.
    public func disk(resourceGroup: String, name: String, logger: Logger) async throws -> Disk? {
        try await managedDisk(.disk, resourceGroup: resourceGroup, name: name, logger: logger)
    }

    /// The disks of a resource group.
    public func listDisks(resourceGroup: String, logger: Logger) -> AzurePagedSequence<Disk> {
        listManagedDisks(.disk, resourceGroup: resourceGroup, logger: logger)
    }

    /// Deletes a disk and waits (a missing disk is not an error).
    public func deleteDisk(resourceGroup: String, name: String, logger: Logger) async throws {
        try await deleteManagedDisk(.disk, resourceGroup: resourceGroup, name: name, logger: logger)
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
            .disk,
            resourceGroup: resourceGroup,
            name: name,
            access: access,
            duration: duration,
            logger: logger
        )
    }

    /// Revokes a disk's SAS (endGetAccess) and waits.
    public func revokeDiskAccess(resourceGroup: String, name: String, logger: Logger) async throws {
        try await revokeAccess(.disk, resourceGroup: resourceGroup, name: name, logger: logger)
    }
}
