/// Totals of a restore.
public struct RestoreStatistics: Sendable, Hashable, Codable {
    /// Bytes of the restored range (including zeros).
    public var bytesRestored: Int64 = 0
    /// Non-zero blocks read from packs.
    public var blocksRead: Int = 0
    /// Sealed bytes fetched from the store.
    public var bytesFetched: Int64 = 0
    /// Tree nodes loaded.
    public var nodesLoaded: Int = 0
    /// The most plaintext bytes fetched ahead of the writer at once (bounded by the restore's memory budget
    /// plus one run of up to 32 blocks).
    public var peakBytesBuffered: Int64 = 0
    /// Wall-clock duration in seconds.
    public var duration: Double = 0

    /// Creates empty totals.
    public init() {}
}
