/// One partition of a disk, or the whole disk when it has no partition table.
public struct Partition: Sendable, Hashable, Codable {
    /// The partition's number as Linux counts it: GPT entries and MBR primaries from 1, MBR logical
    /// partitions from 5; 0 for a whole disk without a partition table.
    public var number: Int
    /// `"GPT"`, `"MBR"` or `"none"` (a whole-disk file system).
    public var scheme: String
    /// The first byte of the partition on the disk.
    public var offset: UInt64
    /// The partition's length in bytes.
    public var size: UInt64
    /// The partition type: a GPT type GUID or an MBR type byte (`"0x83"`).
    public var type: String
    /// A readable name of the type, when it is a well-known one.
    public var typeName: String?
    /// The GPT partition name, if any.
    public var name: String?

    /// Creates a description of a partition.
    public init(
        number: Int,
        scheme: String,
        offset: UInt64,
        size: UInt64,
        type: String,
        typeName: String? = nil,
        name: String? = nil
    ) {
        self.number = number
        self.scheme = scheme
        self.offset = offset
        self.size = size
        self.type = type
        self.typeName = typeName
        self.name = name
    }

    /// The partition's bytes as a window of `disk`.
    public func source(on disk: any ByteSource) throws -> ByteSourceSlice {
        try ByteSourceSlice(disk, offset: offset, size: size)
    }
}
