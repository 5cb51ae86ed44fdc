import AzureKit
import BackupRepository
import Foundation
import Logging

/// One disk of a VM backup: its slot, its snapshot's read SAS, optionally the previous snapshot's, and its size.
public struct SnapshotBackupDisk: Sendable {
    /// The OS disk or a data disk at a LUN.
    public var slot: VMDiskSlot
    /// The read SAS URL of the snapshot to back up.
    public var snapshot: SASURL
    /// The read SAS URL of the previous snapshot of the same disk, for an incremental backup.
    public var previousSnapshot: SASURL?
    /// The disk's size in bytes (`nil`: the snapshot's length less its VHD footer).
    public var diskSize: Int64?

    /// Creates an input.
    public init(slot: VMDiskSlot, snapshot: SASURL, previousSnapshot: SASURL? = nil, diskSize: Int64? = nil) {
        self.slot = slot
        self.snapshot = snapshot
        self.previousSnapshot = previousSnapshot
        self.diskSize = diskSize
    }

    /// The disk's name in messages.
    public var name: String { slot == .os ? "os" : "lun \(slot)" }
}

/// What a VM backup did.
public struct SnapshotBackupOutcome: Sendable {
    /// The engine's result (the VM restore point and its totals).
    public var result: BackupResult
    /// Per disk, whether only its page-range diff was read (changed-block tracking).
    public var incremental: [VMDiskSlot: Bool]
    /// Per disk, the bytes of disk data read over its SAS.
    public var bytesRead: [VMDiskSlot: Int64]
}

/// Backs up the snapshots of a VM's disks into one VM restore point with the engine's pipeline, reading only
/// what it must: a disk's allocated ranges for a full backup, its page-range diff against the previous snapshot
/// for an incremental one (when the parent restore point is given).
public enum SnapshotBackup {
    /// Runs the backup of `disks` into `repository`.
    /// - Parameters:
    ///   - options: The engine's options; `parent` makes disks with a previous snapshot incremental.
    /// - Throws: ``WorkerFailure`` for snapshot problems; the engine's errors otherwise.
    public static func run(
        _ disks: [SnapshotBackupDisk],
        configuration: VMConfiguration?,
        into repository: Repository,
        options: BackupOptions,
        client: AzureClient,
        readOptions: SnapshotReadOptions = SnapshotReadOptions(),
        logger: Logger
    ) async throws -> SnapshotBackupOutcome {
        var inputs: [VMDiskBackupInput] = []
        var sources: [VMDiskSlot: SnapshotDiskSource] = [:]
        var incremental: [VMDiskSlot: Bool] = [:]
        for disk in disks {
            let source = try await SnapshotDiskSource.open(
                client: client,
                sasURL: disk.snapshot,
                diskName: disk.name,
                diskSize: disk.diskSize,
                options: readOptions,
                logger: logger
            )
            var input = VMDiskBackupInput(slot: disk.slot, source: source)
            if options.parent != nil, let previous = disk.previousSnapshot {
                input.changedRanges = try await source.changedRanges(since: previous)
                incremental[disk.slot] = true
            } else {
                input.allocatedRanges = try await source.allocatedRanges()
                incremental[disk.slot] = false
            }
            logger.info(
                "Disk planned",
                metadata: [
                    "disk": .string(disk.name), "incremental": .stringConvertible(incremental[disk.slot] ?? false),
                    "ranges": .stringConvertible((input.changedRanges ?? input.allocatedRanges ?? []).count),
                ]
            )
            inputs.append(input)
            sources[disk.slot] = source
        }
        let result = try await repository.backupVM(disks: inputs, configuration: configuration, options: options)
        return SnapshotBackupOutcome(
            result: result,
            incremental: incremental,
            bytesRead: sources.mapValues(\.bytesRead)
        )
    }
}
