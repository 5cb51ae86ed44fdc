import Foundation

extension Repository {
    /// Checks every reference of every restore point, one group of block IDs at a time (see ``PackGroups``):
    /// loads the group's index entries, walks every restore point and judges each reference of the group by
    /// the rule restores follow: the block is readable when its hinted copy or any indexed copy is.
    func checkReferences(
        full: Bool,
        state: inout VerifyState,
        budget: Int
    ) async throws -> [VerifyReport.RestorePointResult] {
        var points: [(id: RestorePointID, point: RestorePoint?)] = []
        var results: [VerifyReport.RestorePointResult] = []
        for id in try await listRestorePointIDs().sorted() {
            var result = VerifyReport.RestorePointResult(id: id.hex, problems: [], problemCount: 0)
            do {
                points.append((id, try await restorePoint(id)))
            } catch {
                let reason = (error as? RepositoryError)?.message ?? "\(error)"
                result.add(.init(object: id.objectKey, reason: reason))
                points.append((id, nil))
            }
            results.append(result)
        }
        let groups = PackGroups(indexEntries: state.indexEntries, budget: budget)
        state.passes += groups.count
        let keys = try await listIndexObjects()
        for group in 0..<groups.count {
            var table = MarkTable()
            for key in keys {
                guard let object = try await readIndexObjectIfIntact(key) else { continue }  // reported by scanIndex
                for location in object.locations where groups.group(ofBlock: location.entry.id) == group {
                    table.add(location)
                }
            }
            table.seal()
            for (offset, entry) in points.enumerated() {
                try LockHandle.checkpoint()
                guard let point = entry.point else { continue }
                try await checkTree(
                    of: point,
                    firstPass: group == 0,
                    inGroup: { groups.group(ofBlock: $0) == group },
                    table: table,
                    full: full,
                    state: &state,
                    result: &results[offset]
                )
            }
        }
        return results
    }

    /// Walks the trees of every disk of one restore point and judges the references whose block ID is in the group.
    private func checkTree(
        of point: RestorePoint,
        firstPass: Bool,
        inGroup: (BlockID) -> Bool,
        table: MarkTable,
        full: Bool,
        state: inout VerifyState,
        result: inout VerifyReport.RestorePointResult
    ) async throws {
        // The trees of every disk (a VM restore point has several), walked in slot order.
        var stack: [BlockRef] = []
        for disk in point.disks.reversed() {
            guard let stored = disk.root else { continue }
            guard let root = stored.ref else {
                if firstPass {
                    result.add(
                        .init(
                            object: point.id.objectKey,
                            reason: "the root node ID of its disk \(disk.slot) is not valid"
                        )
                    )
                }
                continue
            }
            stack.append(root)
        }
        var visited: Set<BlockID> = []
        while let ref = stack.popLast() {
            guard visited.insert(ref.id).inserted else { continue }
            let mine = inGroup(ref.id)
            if mine, let problem = try await judge(ref, table: table, full: full, state: &state) {
                result.add(problem)
                continue
            }
            let node: TreeNode
            do {
                node = try await loadNode(ref)
            } catch let error as RepositoryError {
                if mine {
                    result.add(
                        .init(object: error.objectKey ?? point.id.objectKey, block: ref.id.hex, reason: error.message)
                    )
                }
                continue
            }
            for entry in node.entries {
                if node.level > 0 {
                    stack.append(entry.ref)
                } else if inGroup(entry.ref.id),
                    let problem = try await judge(entry.ref, table: table, full: full, state: &state)
                {
                    result.add(problem)
                }
            }
        }
    }

    /// Why no copy of a referenced block can be read, or `nil` when one can: the hinted copy, then every
    /// indexed copy. Notes blocks that only their hint reaches.
    private func judge(
        _ ref: BlockRef,
        table: MarkTable,
        full: Bool,
        state: inout VerifyState
    ) async throws -> VerifyReport.Problem? {
        var firstProblem: VerifyReport.Problem?
        var hintIntact = false
        if let hint = ref.hint {
            if let reason = try await hintProblem(hint, full: full, state: &state) {
                firstProblem = .init(object: hint.pack.objectKey, block: ref.id.hex, reason: reason)
            } else {
                hintIntact = true
            }
        }
        let indexed = table.copies(of: ref.id)
        for copy in indexed {
            guard let reason = state.problem(pack: copy.pack, offset: copy.offset, length: copy.length, full: full)
            else { return nil }
            if firstProblem == nil {
                firstProblem = .init(object: copy.pack.objectKey, block: ref.id.hex, reason: reason)
            }
        }
        if hintIntact, let hint = ref.hint {
            // Readable; without any index entry the block would be lost to a rebuilt or pruned index.
            if indexed.isEmpty { state.unindexed[hint.pack, default: []].insert(ref.id) }
            return nil
        }
        return firstProblem
            ?? .init(
                object: IndexObject.prefix,
                block: ref.id.hex,
                reason: "it has no location hint and is in no index object"
            )
    }

    /// Why the hinted copy cannot be read, or `nil`. In full mode a copy in a pack whose trailer cannot be read
    /// (so the pack scan did not list it) is read and checked here.
    private func hintProblem(_ hint: BlockLocation, full: Bool, state: inout VerifyState) async throws -> String? {
        let entry = hint.entry
        if let reason = state.problem(pack: hint.pack, offset: entry.offset, length: entry.storedLength, full: full) {
            return reason
        }
        let copy = VerifyState.Copy(pack: hint.pack, offset: entry.offset)
        guard full, state.packsWithoutTrailer.contains(hint.pack), !state.intactWithoutTrailer.contains(copy) else {
            return nil
        }
        do {
            _ = try await readBlock(at: hint, verifyIdentity: true)
            state.intactWithoutTrailer.insert(copy)
            return nil
        } catch let error as RepositoryError {
            state.damagedCopies.insert(copy)
            return error.message
        }
    }
}

extension VerifyReport.RestorePointResult {
    /// Counts a problem and lists it while fewer than ``VerifyReport/problemLimit`` are listed.
    mutating func add(_ problem: VerifyReport.Problem) {
        problemCount += 1
        isIntact = false
        if problems.count < VerifyReport.problemLimit { problems.append(problem) }
    }
}
