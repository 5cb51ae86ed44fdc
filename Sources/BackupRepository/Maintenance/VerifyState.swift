/// What verification has learnt so far. Apart from the pack list, it grows only with the damage found.
struct VerifyState {
    /// One copy of a block: the pack and the offset in it.
    struct Copy: Hashable {
        var pack: PackID
        var offset: UInt32
    }

    /// Every pack in the store and its size.
    var packs: [PackID: Int64] = [:]
    /// Packs that at least one index object lists.
    var indexedPacks: Set<PackID> = []
    /// Index entries in all readable index objects.
    var indexEntries = 0
    /// Full mode: copies that fail authentication or do not match their ID.
    var damagedCopies: Set<Copy> = []
    /// Full mode: copies found intact although their pack's trailer cannot be read.
    var intactWithoutTrailer: Set<Copy> = []
    /// Full mode: packs whose trailer cannot be read (their copies are checked one by one).
    var packsWithoutTrailer: Set<PackID> = []
    /// Referenced blocks that only a location hint reaches, by pack.
    var unindexed: [PackID: Set<BlockID>] = [:]
    /// Problems with packs and index objects (the first ``VerifyReport/problemLimit``).
    var repositoryProblems: [VerifyReport.Problem] = []
    var blocksChecked = 0
    var bytesRead: Int64 = 0
    var passes = 0

    /// Records a problem with a pack or index object.
    mutating func note(_ problem: VerifyReport.Problem) {
        if repositoryProblems.count < VerifyReport.problemLimit { repositoryProblems.append(problem) }
    }

    /// Why the copy at `offset..<offset + length` of `pack` cannot be read, or `nil` when it can (as far as
    /// the mode checks: existence and size in quick mode, authentication and identity in full mode).
    func problem(pack: PackID, offset: UInt32, length: UInt32, full: Bool) -> String? {
        guard let size = packs[pack] else { return "the pack is missing" }
        let end = Int64(offset) + Int64(length)
        guard Int64(offset) >= Int64(PackFormat.headerMagic.count), end <= size - Int64(PackFormat.footerSize) else {
            return "it lies at \(offset)..<\(end), past the end of the \(size)-byte pack (truncated)"
        }
        guard full else { return nil }
        let copy = Copy(pack: pack, offset: offset)
        if damagedCopies.contains(copy) {
            return "it fails authentication or its content does not match its ID (altered)"
        }
        return nil
    }
}
