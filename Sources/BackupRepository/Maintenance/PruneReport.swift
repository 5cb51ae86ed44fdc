/// What ``Repository/prune(options:lockOptions:logger:)`` found and did; `Codable` for `--json`.
public struct PruneReport: Sendable, Hashable, Codable {
    /// `true` when nothing was changed (a dry run).
    public var dryRun = false
    /// Restore points whose trees were walked.
    public var restorePoints = 0
    /// Packs in the repository before pruning, and their bytes.
    public var packsBefore = 0
    /// Bytes of all packs before pruning.
    public var bytesBefore: Int64 = 0
    /// Distinct live blocks (referenced by a restore point).
    public var liveBlocks = 0
    /// Index entries of blocks no restore point references.
    public var unusedBlocks = 0
    /// Packs deleted because none of their blocks is live (or no index entry names them).
    public var packsDeleted = 0
    /// Packs whose live blocks were copied into new packs before deletion.
    public var packsRepacked = 0
    /// New packs written by repacking.
    public var packsWritten = 0
    /// Packs left alone because they are younger than the grace period, or because restore points reach
    /// them only through location hints.
    public var packsProtected = 0
    /// Packs that restore points reference but no index object listed: indexed again from their trailers
    /// (and kept by this run).
    public var packsReindexed = 0
    /// Index objects written and deleted.
    public var indexObjectsWritten = 0
    /// Index objects deleted (replaced by the written ones).
    public var indexObjectsDeleted = 0
    /// Bytes of deleted packs (including repacked ones).
    public var bytesDeleted: Int64 = 0
    /// Bytes of packs written by repacking.
    public var bytesWritten: Int64 = 0
    /// Stale locks removed.
    public var staleLocksRemoved = 0
    /// How many passes the mark phase needed to stay within its memory budget.
    public var markPasses = 0

    /// Bytes given back to the store: deleted minus written.
    public var reclaimedBytes: Int64 = 0

    /// Creates an empty report.
    public init() {}
}
