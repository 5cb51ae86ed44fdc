/// Bits describing how a stored block is encoded and what it holds (see docs/FORMAT.md).
public struct BlockFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8

    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    /// The payload is a zstd frame; otherwise it is the raw bytes.
    public static let compressed = BlockFlags(rawValue: 1)
    /// The block is a tree node of a restore point, not disk data.
    public static let treeNode = BlockFlags(rawValue: 2)

    static let known: BlockFlags = [.compressed, .treeNode]
}
