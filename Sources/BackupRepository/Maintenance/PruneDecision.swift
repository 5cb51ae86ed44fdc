/// What garbage collection does with the packs of one group.
struct PruneDecision: Sendable, Hashable {
    /// Packs with no kept block: deleted.
    var doomed: [PackID] = []
    /// Packs whose kept bytes are below the live-ratio threshold: their kept blocks are copied, then deleted.
    var repack: Set<PackID> = []
    /// Packs that would be deleted or repacked but are younger than the protection time.
    var protected = 0

    /// Every pack deleted at the end: the doomed and the repacked ones.
    var removed: Set<PackID> { Set(doomed).union(repack) }
}
