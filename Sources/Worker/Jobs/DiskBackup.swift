import AzureKit
import BackupRepository
import Foundation
import Logging

/// One disk of a backup job: its snapshot's read SAS, optionally the previous snapshot's, and its size.
public struct DiskBackupInput: Sendable {
    /// The disk's name in messages (`os`, `lun 0`, …).
    public var diskName: String
    /// The read SAS URL of the snapshot to back up.
    public var snapshot: SASURL
    /// The read SAS URL of the previous snapshot of the same disk, for an incremental backup.
    public var previousSnapshot: SASURL?
    /// The disk's size in bytes (`nil`: the snapshot's length less its VHD footer).
    public var diskSize: Int64?

    /// Creates an input.
    public init(diskName: String, snapshot: SASURL, previousSnapshot: SASURL? = nil, diskSize: Int64? = nil) {
        self.diskName = diskName
        self.snapshot = snapshot
        self.previousSnapshot = previousSnapshot
        self.diskSize = diskSize
    }
}

/// What backing up one disk did.
public struct DiskBackupOutcome: Sendable {
    /// The engine's result (restore point and statistics).
    public var result: BackupResult
    /// Whether only the page-range diff was read (changed-block tracking).
    public var incremental: Bool
    /// The bytes of disk data read over the SAS.
    public var bytesRead: Int64
}

/// Backs up one managed-disk snapshot with the engine's pipeline, reading only what it must: the allocated
/// ranges for a full backup, the page-range diff against the previous snapshot for an incremental one.
public enum DiskBackup {
    /// Runs the backup of `input` into `repository`.
    /// - Parameters:
    ///   - parent: The restore point of the previous snapshot; an incremental needs both it and
    ///     ``DiskBackupInput/previousSnapshot``, otherwise the backup is full.
    ///   - configure: Adjusts the engine's options (metadata, progress, concurrency) before the run.
    /// - Throws: ``WorkerFailure`` for snapshot problems; the engine's errors otherwise.
    public static func run(
        _ input: DiskBackupInput,
        into repository: Repository,
        parent: RestorePointID?,
        client: AzureClient,
        readOptions: SnapshotReadOptions = SnapshotReadOptions(),
        logger: Logger,
        configure: (inout BackupOptions) -> Void = { _ in }
    ) async throws -> DiskBackupOutcome {
        let source = try await SnapshotDiskSource.open(
            client: client,
            sasURL: input.snapshot,
            diskName: input.diskName,
            diskSize: input.diskSize,
            options: readOptions,
            logger: logger
        )
        var options = BackupOptions()
        let incremental = parent != nil && input.previousSnapshot != nil
        if let parent, let previous = input.previousSnapshot {
            options.parent = parent
            options.changedRanges = try await source.changedRanges(since: previous)
            // Should the engine fall back to a full read (the disk was resized), it reads only allocated pages.
            options.allocatedRanges = nil
        } else {
            options.allocatedRanges = try await source.allocatedRanges()
        }
        configure(&options)
        logger.info(
            "Disk backup starting",
            metadata: [
                "disk": .string(input.diskName), "incremental": .stringConvertible(incremental),
                "ranges": .stringConvertible((options.changedRanges ?? options.allocatedRanges ?? []).count),
            ]
        )
        let result = try await repository.backup(source: source, options: options)
        return DiskBackupOutcome(result: result, incremental: incremental, bytesRead: source.bytesRead)
    }
}
