/// What a copy between linked repositories did.
public struct CopyReport: Sendable, Hashable, Codable {
    /// Restore points written to the destination.
    public var restorePointsCopied: [String] = []
    /// Restore points the destination already held (left alone).
    public var restorePointsPresent: [String] = []
    /// Data blocks copied.
    public var blocksCopied = 0
    /// Tree nodes copied.
    public var nodesCopied = 0
    /// Stored bytes of the copied blocks and nodes (sealed, as moved).
    public var bytesCopied: Int64 = 0
    /// References (blocks and nodes) whose block the destination already held.
    public var blocksPresent = 0
    /// Bytes read from the source's packs (ranged reads may include a few bytes between wanted blocks).
    public var bytesRead: Int64 = 0
    /// Data packs written (to the archive tier when the destination's config says so).
    public var dataPacksWritten = 0
    /// Tree packs written (always online).
    public var treePacksWritten = 0
    /// Of the data packs written, those stored in the archive tier.
    public var packsArchived = 0
    /// Index objects written.
    public var indexObjectsWritten = 0
    /// Passes over the restore points' trees (one per group of block IDs).
    public var passes = 0
    /// Wall time of the whole copy, in seconds.
    public var seconds: Double = 0

    /// Stored bytes copied per second.
    public var bytesPerSecond: Double { seconds > 0 ? Double(bytesCopied) / seconds : 0 }

    /// Creates an empty report.
    public init() {}
}
