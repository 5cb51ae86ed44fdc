import BackupRepository
import Foundation

/// Back up every disk of one VM from its snapshots into a repository, as one VM restore point.
public struct BackupJob: Sendable, Hashable, Codable {
    /// The disks to read, OS disk first.
    public var disks: [BackupDisk]
    /// The repository to write to (its sealed fields use the role ``RepositoryRole/repository``).
    public var repository: RepositoryAccess
    /// The VM's configuration, recorded in the restore point.
    public var vm: VMConfiguration
    /// The caller's metadata for the restore point (the worker adds ``JobMarker`` to it).
    public var metadata: JSONValue
    /// The restore point this backup is incremental to, when there is one.
    public var parent: RestorePointID?

    /// A backup job; `disks` is sorted OS disk first, then by LUN.
    public init(
        disks: [BackupDisk],
        repository: RepositoryAccess,
        vm: VMConfiguration,
        metadata: JSONValue = .object([:]),
        parent: RestorePointID? = nil
    ) {
        self.disks = disks.sorted { $0.slot < $1.slot }
        self.repository = repository
        self.vm = vm
        self.metadata = metadata
        self.parent = parent
    }

    /// The total size of the disks, in bytes.
    public var totalBytes: Int64 { disks.reduce(0) { $0 + $1.sizeBytes } }
}

/// One disk of a backup job: where it sits in the VM, its size, and how to read its snapshot.
public struct BackupDisk: Sendable, Hashable, Codable {
    /// The OS disk, or a data disk at a LUN.
    public var slot: VMDiskSlot
    /// The disk's size in bytes (the snapshot's `diskSizeBytes`).
    public var sizeBytes: Int64
    /// The read SAS URL of the snapshot, sealed as ``SealedField/snapshot(_:)`` of the slot.
    public var snapshot: Sealed<String>
    /// The read SAS URL of the previous snapshot of the same disk, for a page-range diff; sealed as
    /// ``SealedField/previousSnapshot(_:)``. `nil` for a full read.
    public var previousSnapshot: Sealed<String>?

    /// A disk to back up.
    public init(slot: VMDiskSlot, sizeBytes: Int64, snapshot: Sealed<String>, previousSnapshot: Sealed<String>? = nil) {
        self.slot = slot
        self.sizeBytes = sizeBytes
        self.snapshot = snapshot
        self.previousSnapshot = previousSnapshot
    }
}
