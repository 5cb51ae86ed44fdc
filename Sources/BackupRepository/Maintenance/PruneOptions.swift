import Foundation

/// How ``Repository/prune(options:lockOptions:logger:)`` collects garbage.
public struct PruneOptions: Sendable {
    /// Packs whose live bytes are below this fraction of their size are repacked (their live
    /// blocks copied into new packs, then the old packs deleted). Packs with no live block are
    /// always deleted. Default 0.5; 0 disables repacking.
    public var repackBelowLiveRatio: Double = 0.5
    /// Which young objects are left alone (see ``GarbageGrace``).
    public var grace = GarbageGrace()
    /// Compute and report everything, change nothing (under a shared lock instead of the exclusive one).
    public var dryRun = false
    /// How long to wait for running backups to release their locks. Default 0: fail at once.
    public var lockWait: Duration = .zero
    /// The memory the mark phase may use for its set of live block IDs; beyond it the mark phase
    /// runs in several passes over the restore points, each covering a slice of the ID space.
    /// Default 256 MiB.
    public var markMemoryBudget = 256 << 20
    /// How many packs are read or written at once while repacking. Default 4.
    public var parallelism = 4

    /// Creates the default options.
    public init() {}
}
