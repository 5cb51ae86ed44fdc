/// Splits the packs (or the block IDs) of a repository into groups small enough for a memory budget.
///
/// Garbage collection handles one group of packs at a time: it loads the index entries of the group's packs
/// (``MarkTable/bytesPerEntry`` bytes each), walks every restore point marking the entries found, and acts on
/// the group's packs. Verification and the check for referenced but unindexed blocks group by block ID
/// instead, so that every copy of a block falls into the same group. More groups mean less memory and more
/// walks.
struct PackGroups: Sendable, Hashable {
    /// How many groups.
    let count: Int

    /// Enough groups that the entries of one group fit in `budget` bytes (at least one group).
    init(indexEntries: Int, budget: Int, bytesPerEntry: Int = MarkTable.bytesPerEntry) {
        let needed = indexEntries * bytesPerEntry
        count = max(1, (needed + max(1, budget) - 1) / max(1, budget))
    }

    /// The group a pack belongs to; depends only on the pack ID and the group count.
    func group(of pack: PackID) -> Int {
        Int(pack.value.w1 % UInt64(count))
    }

    /// The group a block belongs to; depends only on the block ID and the group count.
    func group(ofBlock id: BlockID) -> Int {
        Int(id.w1 % UInt64(count))
    }
}
