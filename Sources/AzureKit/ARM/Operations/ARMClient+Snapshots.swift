import Foundation
import Logging
import NIOCore
import NIOHTTP1

extension ARMClient {
    /// The path of a snapshot.
    public func snapshotPath(resourceGroup: String, name: String) -> String {
        managedDiskPath(.snapshot, resourceGroup: resourceGroup, name: name)
    }

    /// Creates an incremental snapshot of `diskID` with `tags` and waits until it is provisioned.
    @discardableResult
    public func createIncrementalSnapshot(
        resourceGroup: String,
        name: String,
        location: String,
        diskID: String,
        tags: [String: String] = [:],
        logger: Logger
    ) async throws -> Snapshot {
        let body = Snapshot(
            location: location,
            tags: tags,
            properties: DiskProperties(
                creationData: DiskCreationData(createOption: "Copy", sourceResourceId: diskID),
                incremental: true
            )
        )
        return try await createSnapshot(resourceGroup: resourceGroup, name: name, snapshot: body, logger: logger)
    }

    /// Creates or updates a snapshot from a full body and waits.
    @discardableResult
    public func createSnapshot(resourceGroup: String, name: String, snapshot: Snapshot, logger: Logger) async throws
        -> Snapshot
    {
        try await putManagedDisk(.snapshot, resourceGroup: resourceGroup, name: name, body: snapshot, logger: logger)
    }

    /// A snapshot, or `nil` if absent.
    public func snapshot(resourceGroup: String, name: String, logger: Logger) async throws -> Snapshot? {
        try await managedDisk(.snapshot, resourceGroup: resourceGroup, name: name, logger: logger)
    }

    /// The snapshots of a resource group, or of the subscription when `resourceGroup` is `nil`.
    public func listSnapshots(resourceGroup: String? = nil, logger: Logger) -> AzurePagedSequence<Snapshot> {
        listManagedDisks(.snapshot, resourceGroup: resourceGroup, logger: logger)
    }

    /// Replaces a snapshot's tags (PATCH, Snapshots_Update) and waits.
    @discardableResult
    public func updateSnapshotTags(resourceGroup: String, name: String, tags: [String: String], logger: Logger)
        async throws -> Snapshot
    {
        try await writeResource(
            .PATCH,
            snapshotPath(resourceGroup: resourceGroup, name: name),
            apiVersion: ARMAPIVersion.disks,
            body: TagsPatch(tags: tags),
            operation: "arm.snapshot.tags",
            logger: logger
        )
    }

    /// Sets who may use a snapshot's SAS (PATCH, Snapshots_Update) and waits; its tags stay as they are.
    ///
    /// - Parameters:
    ///   - policy: `AllowAll`, `AllowPrivate` (only through a private endpoint of `diskAccessID`) or `DenyAll`.
    ///   - diskAccessID: The disk access of the snapshot's region, required with `AllowPrivate`.
    @discardableResult
    public func updateSnapshotNetworkAccess(
        resourceGroup: String,
        name: String,
        policy: String,
        diskAccessID: String? = nil,
        logger: Logger
    ) async throws -> Snapshot {
        try await writeResource(
            .PATCH,
            snapshotPath(resourceGroup: resourceGroup, name: name),
            apiVersion: ARMAPIVersion.disks,
            body: NetworkAccessPatch(
                properties: .init(networkAccessPolicy: policy, diskAccessId: diskAccessID)
            ),
            operation: "arm.snapshot.networkaccess",
            logger: logger
        )
    }

    /// Deletes a snapshot and waits (a missing snapshot is not an error).
    public func deleteSnapshot(resourceGroup: String, name: String, logger: Logger) async throws {
        try await deleteManagedDisk(.snapshot, resourceGroup: resourceGroup, name: name, logger: logger)
    }

    /// Grants read access to a snapshot (beginGetAccess) and returns its SAS URL. Call
    /// ``endSnapshotAccess(resourceGroup:name:logger:)`` when done: only a few snapshots of one
    /// family may hold a SAS at a time.
    public func beginSnapshotAccess(resourceGroup: String, name: String, duration: Duration, logger: Logger)
        async throws -> String
    {
        try await grantAccess(
            .snapshot,
            resourceGroup: resourceGroup,
            name: name,
            access: .read,
            duration: duration,
            logger: logger
        )
    }

    /// Revokes a snapshot's SAS (endGetAccess) and waits.
    public func endSnapshotAccess(resourceGroup: String, name: String, logger: Logger) async throws {
        try await revokeAccess(.snapshot, resourceGroup: resourceGroup, name: name, logger: logger)
    }
}

/// A PATCH body that sets tags.
struct TagsPatch: Codable, Sendable {
    var tags: [String: String]
}

/// A PATCH body that sets a disk's or snapshot's network access policy (and disk access), leaving its tags alone.
struct NetworkAccessPatch: Codable, Sendable {
    struct Properties: Codable, Sendable {
        var networkAccessPolicy: String
        var diskAccessId: String?
    }

    var properties: Properties
}
