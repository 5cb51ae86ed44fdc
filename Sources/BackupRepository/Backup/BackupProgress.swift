/// Running totals of a backup, reported while it runs and returned at the end.
public struct BackupProgress: Sendable, Hashable, Codable {
    /// The size of the disks backed up (all of a VM's disks together).
    public var diskSize: Int64 = 0
    /// The disk being read while the backup runs (`nil` once it has finished).
    public var currentDisk: VMDiskSlot?
    /// The number of disks the backup covers.
    public var disks: Int = 0
    /// The number of disks fully read so far.
    public var disksDone: Int = 0
    /// Bytes the backup will read in total (the blocks to examine).
    public var bytesToRead: Int64 = 0
    /// Bytes read from the source so far.
    public var bytesRead: Int64 = 0
    /// Sealed bytes of new data blocks written to packs.
    public var bytesStored: Int64 = 0
    /// Blocks stored because they were new.
    public var blocksNew: Int = 0
    /// Blocks read but already in the repository.
    public var blocksDeduplicated: Int = 0
    /// Blocks read and found all zero.
    public var blocksZero: Int = 0
    /// Blocks not read at all because they are inherited from the parent or known to be unallocated.
    public var blocksSkipped: Int64 = 0
    /// Bytes of tree nodes, index objects and the restore point object written.
    public var metadataBytesWritten: Int64 = 0
    /// Pack objects uploaded.
    public var packsWritten: Int = 0

    /// Creates empty totals.
    public init() {}
}
