/// Splits the packs of a repository into groups small enough for the mark phase's memory budget.
///
/// Garbage collection handles one group at a time: it loads the index entries of the group's packs
/// (``MarkTable/bytesPerEntry`` bytes each), walks every restore point marking the entries found, and
/// acts on the group's packs. More groups mean less memory and more walks.
struct PackGroups: Sendable, Hashable {
    /// How many groups.
    let count: Int

    /// Enough groups that the entries of one group fit in `budget` bytes (at least one group).
    init(indexEntries: Int, budget: Int) {
        let needed = indexEntries * MarkTable.bytesPerEntry
        count = max(1, (needed + max(1, budget) - 1) / max(1, budget))
    }

    /// The group a pack belongs to; depends only on the pack ID and the group count.
    func group(of pack: PackID) -> Int {
        Int(pack.value.w1 % UInt64(count))
    }
}
