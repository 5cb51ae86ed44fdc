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

extension BackupProgress {
    private enum CodingKeys: String, CodingKey {
        case diskSize, currentDisk, disks, disksDone, bytesToRead, bytesRead, bytesStored, blocksNew
        case blocksDeduplicated, blocksZero, blocksSkipped, metadataBytesWritten, packsWritten
    }

    /// Decodes totals, taking 0 (or `nil`) for a field that is absent: restore points written before a field
    /// existed lack it.
    public init(from decoder: any Decoder) throws {
        self.init()
        let container = try decoder.container(keyedBy: CodingKeys.self)
        diskSize = try container.decodeIfPresent(Int64.self, forKey: .diskSize) ?? 0
        currentDisk = try container.decodeIfPresent(VMDiskSlot.self, forKey: .currentDisk)
        disks = try container.decodeIfPresent(Int.self, forKey: .disks) ?? 0
        disksDone = try container.decodeIfPresent(Int.self, forKey: .disksDone) ?? 0
        bytesToRead = try container.decodeIfPresent(Int64.self, forKey: .bytesToRead) ?? 0
        bytesRead = try container.decodeIfPresent(Int64.self, forKey: .bytesRead) ?? 0
        bytesStored = try container.decodeIfPresent(Int64.self, forKey: .bytesStored) ?? 0
        blocksNew = try container.decodeIfPresent(Int.self, forKey: .blocksNew) ?? 0
        blocksDeduplicated = try container.decodeIfPresent(Int.self, forKey: .blocksDeduplicated) ?? 0
        blocksZero = try container.decodeIfPresent(Int.self, forKey: .blocksZero) ?? 0
        blocksSkipped = try container.decodeIfPresent(Int64.self, forKey: .blocksSkipped) ?? 0
        metadataBytesWritten = try container.decodeIfPresent(Int64.self, forKey: .metadataBytesWritten) ?? 0
        packsWritten = try container.decodeIfPresent(Int.self, forKey: .packsWritten) ?? 0
    }
}
