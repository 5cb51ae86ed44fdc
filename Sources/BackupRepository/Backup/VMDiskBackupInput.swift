/// One disk of a VM backup: where it sits, where to read it, and which parts to read.
public struct VMDiskBackupInput: Sendable {
    /// The OS disk, or a data disk at a LUN.
    public var slot: VMDiskSlot
    /// The disk's contents (a snapshot read over SAS, a local image…).
    public var source: any DiskSource
    /// Byte ranges changed since the disk in the same slot of the backup's parent: with a parent that has
    /// that slot at the same size, only blocks overlapping them are read and the rest is inherited.
    /// Otherwise ignored (the disk is backed up in full, reading `allocatedRanges` when given).
    public var changedRanges: [ByteRange]?
    /// Byte ranges that hold data, for a full backup of the disk: blocks outside them are zero and are never
    /// read. `nil` reads every block.
    public var allocatedRanges: [ByteRange]?

    /// A disk to back up.
    public init(
        slot: VMDiskSlot,
        source: any DiskSource,
        changedRanges: [ByteRange]? = nil,
        allocatedRanges: [ByteRange]? = nil
    ) {
        self.slot = slot
        self.source = source
        self.changedRanges = changedRanges
        self.allocatedRanges = allocatedRanges
    }
}
