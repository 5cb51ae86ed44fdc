import Foundation

/// What to back up besides the source itself. ``Repository/backupVM(disks:configuration:options:)`` takes each
/// disk's changed and allocated ranges from its ``VMDiskBackupInput`` instead of `changedRanges` and
/// `allocatedRanges` here.
public struct BackupOptions: Sendable {
    /// The restore point this backup continues from, if any.
    public var parent: RestorePointID?
    /// Byte ranges changed since `parent`. With a parent, only blocks overlapping them are read; all other
    /// blocks are inherited. Ignored without a parent, and when the disk's size (or the repository's block
    /// size) differs from the parent's: then every block is read, and unchanged blocks are deduplicated.
    /// The backup fails with ``RepositoryError/Code/invalidArgument`` when a range is negative or ends
    /// past the disk (see ``ChangedRanges/init(validating:diskSize:)``).
    public var changedRanges: [ByteRange]?
    /// Byte ranges that hold data; everything else is known to be zero and is not read. Used when there is
    /// no parent (or no changed ranges).
    public var allocatedRanges: [ByteRange]?
    /// Opaque JSON stored with the restore point (VM name, disks, tags, policy…).
    public var metadata: Data
    /// The maximum number of blocks being read, compressed and sealed at once (bounds memory).
    public var concurrency: Int
    /// The maximum number of pack uploads in flight.
    public var uploadConcurrency: Int
    /// The maximum number of block fingerprints kept for deduplication: three quarters for blocks already in
    /// the repository (32 bytes each) and an eighth for blocks stored by this backup (about 120 bytes each).
    /// The default, 4 million, bounds the table to about 160 MiB (see docs/FORMAT.md, "Memory bounds").
    public var dedupCapacity: Int
    /// The identity and timing of the shared lock the backup holds (wait timeout, refresh, clock).
    public var lockOptions: LockOptions
    /// The clock that stamps the restore point's creation time; replaced in tests.
    public var now: @Sendable () -> Date
    /// Called from time to time with the running totals (from any thread; keep it quick).
    public var progress: (@Sendable (BackupProgress) -> Void)?

    /// A full backup with no metadata.
    public init(
        parent: RestorePointID? = nil,
        changedRanges: [ByteRange]? = nil,
        allocatedRanges: [ByteRange]? = nil,
        metadata: Data = Data("{}".utf8),
        concurrency: Int = max(4, ProcessInfo.processInfo.activeProcessorCount * 4),
        uploadConcurrency: Int = 2,
        dedupCapacity: Int = 4_000_000,
        progress: (@Sendable (BackupProgress) -> Void)? = nil,
        lockOptions: LockOptions = LockOptions(),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.parent = parent
        self.changedRanges = changedRanges
        self.allocatedRanges = allocatedRanges
        self.metadata = metadata
        self.concurrency = concurrency
        self.uploadConcurrency = uploadConcurrency
        self.dedupCapacity = dedupCapacity
        self.progress = progress
        self.lockOptions = lockOptions
        self.now = now
    }
}
