/// What verification has learnt so far: packs and their sizes, the index, and the blocks found bad.
struct VerifyState {
    /// Every pack in the store and its size.
    var packs: [PackID: Int64] = [:]
    /// One indexed location per block.
    var index: [BlockID: BlockLocation] = [:]
    /// Index entries grouped by pack (full mode compares them with the trailers).
    var entriesByPack: [PackID: [PackEntry]] = [:]
    /// Blocks indexed more than once.
    var duplicates: Set<BlockID> = []
    /// Blocks with at least one good copy: inside an existing pack (quick), decrypted and re-hashed (full).
    var verifiedCopies: Set<BlockID> = []
    /// Blocks found missing or damaged, with the first reason.
    var bad: [BlockID: VerifyReport.Problem] = [:]
    /// Problems with packs and index objects.
    var repositoryProblems: [VerifyReport.Problem] = []
    var blocksChecked = 0
    var bytesRead: Int64 = 0

    /// Records a damaged copy of a block (and a repository problem).
    mutating func recordBad(_ id: BlockID, _ problem: VerifyReport.Problem) {
        repositoryProblems.append(problem)
        if bad[id] == nil { bad[id] = problem }
    }

    /// Why a reference cannot be read, or `nil` when it can.
    func problem(with ref: BlockRef) -> VerifyReport.Problem? {
        if let problem = bad[ref.id] {
            // A block indexed twice stays readable when one copy is good.
            let goodElsewhere = duplicates.contains(ref.id) && verifiedCopies.contains(ref.id)
            if !goodElsewhere { return problem }
        }
        if let hint = ref.hint, let size = packs[hint.pack],
            Int64(hint.entry.offset) + Int64(hint.entry.storedLength) <= size
        {
            return nil
        }
        if let location = index[ref.id], packs[location.pack] != nil { return nil }
        let object = ref.hint?.pack.objectKey ?? "index/"
        return VerifyReport.Problem(
            object: object,
            block: ref.id.hex,
            reason: ref.hint == nil
                ? "it is in no index object"
                : "its pack is missing and no index object lists it elsewhere"
        )
    }
}
