import Foundation
import Logging

extension Repository {
    /// Checks the repository and says which restore points are intact and which are damaged, and why.
    ///
    /// Quick mode checks existence and sizes: every index object decodes, every index entry lies inside
    /// an existing pack, every restore point's tree nodes are readable, and every block a restore point
    /// references is either hinted in an existing pack or indexed. Full mode also reads every pack,
    /// compares its trailer with the index and decrypts and re-hashes every block.
    /// Runs under a shared lock (taken with `lockOptions`); never changes anything. Cancelling the task, or
    /// losing the lock, stops it at its next pack or restore point.
    /// - Returns: the report; problems found are not thrown, only failures to read the store are.
    /// - Throws: ``LockError`` when a prune holds the repository or the lock was lost.
    public func verify(
        _ mode: VerifyReport.Mode,
        lockOptions: LockOptions = LockOptions(),
        logger: Logger = Logger(label: "nimbus.verify", factory: { _ in SwiftLogNoOpLogHandler() })
    ) async throws -> VerifyReport {
        try await withLock(.shared, purpose: "verify", options: lockOptions, logger: logger) { _ in
            try await self.runVerify(mode, logger: logger)
        }
    }

    private func runVerify(_ mode: VerifyReport.Mode, logger: Logger) async throws -> VerifyReport {
        var state = VerifyState()
        for try await object in store.objects(prefix: "packs/") {
            if let id = PackID(objectKey: object.key) { state.packs[id] = object.size }
        }
        try await scanIndex(into: &state)
        if mode == .full { try await scanPacks(into: &state, logger: logger) }

        var results: [VerifyReport.RestorePointResult] = []
        for id in try await listRestorePointIDs().sorted() {
            try LockHandle.checkpoint()
            results.append(await checkRestorePoint(id, state: &state))
        }
        return VerifyReport(
            mode: mode,
            restorePoints: results,
            repositoryProblems: Array(state.repositoryProblems.prefix(VerifyReport.problemLimit)),
            packsChecked: state.packs.count,
            blocksChecked: state.blocksChecked,
            bytesRead: state.bytesRead
        )
    }

    /// Reads every index object; records where blocks live and which entries are impossible.
    private func scanIndex(into state: inout VerifyState) async throws {
        for key in try await listIndexObjects() {
            let object: IndexObject
            do {
                object = try await readIndexObject(key)
            } catch let error as RepositoryError {
                state.repositoryProblems.append(.init(object: key, reason: error.message))
                continue
            }
            for location in object.locations {
                let id = location.entry.id
                if state.index[id] != nil { state.duplicates.insert(id) }
                state.index[id] = location
                state.entriesByPack[location.pack, default: []].append(location.entry)
                let packKey = location.pack.objectKey
                guard let size = state.packs[location.pack] else {
                    state.recordBad(id, .init(object: packKey, block: id.hex, reason: "the pack is missing"))
                    continue
                }
                let end = Int64(location.entry.offset) + Int64(location.entry.storedLength)
                if end <= size - Int64(PackFormat.footerSize) {
                    state.verifiedCopies.insert(id)
                } else {
                    state.recordBad(
                        id,
                        .init(
                            object: packKey,
                            block: id.hex,
                            reason: "the index places it at \(location.entry.offset)..<\(end), past the end of "
                                + "the \(size)-byte pack (truncated)"
                        )
                    )
                }
            }
        }
        state.blocksChecked = state.index.count
    }

    /// Reads every indexed pack: compares its trailer with the index and decrypts and re-hashes its blocks.
    private func scanPacks(into state: inout VerifyState, logger: Logger) async throws {
        state.blocksChecked = 0
        state.verifiedCopies = []
        for (pack, indexed) in state.entriesByPack.sorted(by: { $0.key < $1.key }) {
            guard state.packs[pack] != nil else { continue }
            try LockHandle.checkpoint()
            let key = pack.objectKey
            do {
                let trailer = Set(try await readPackTrailer(pack))
                for entry in Set(indexed) where !trailer.contains(entry) {
                    state.repositoryProblems.append(
                        .init(
                            object: key,
                            block: entry.id.hex,
                            reason: "the index lists it but the pack's trailer does not"
                        )
                    )
                }
            } catch let error as RepositoryError {
                state.repositoryProblems.append(.init(object: key, reason: error.message))
            }
            let contents: Data
            do {
                contents = try await store.get(key)
            } catch let error as ObjectStoreError where error.code == .notFound {
                continue
            }
            state.bytesRead += Int64(contents.count)
            for entry in Set(indexed) {
                state.blocksChecked += 1
                let start = Int(entry.offset)
                let end = start + Int(entry.storedLength)
                let intact =
                    end <= contents.count
                    && codec.decode(
                        contents.subdata(in: start..<end),
                        id: entry.id,
                        flags: entry.flags,
                        rawLength: Int(entry.rawLength),
                        verifyIdentity: true
                    ) != nil
                if intact {
                    state.verifiedCopies.insert(entry.id)
                } else {
                    state.recordBad(
                        entry.id,
                        .init(
                            object: key,
                            block: entry.id.hex,
                            reason: "it fails authentication or its content does not match its ID (altered)"
                        )
                    )
                }
            }
            logger.trace("verify.pack", metadata: ["verify.pack": "\(key)"])
        }
    }

    /// Walks one restore point's tree and checks every reference.
    private func checkRestorePoint(
        _ id: RestorePointID,
        state: inout VerifyState
    ) async -> VerifyReport.RestorePointResult {
        var problems: [VerifyReport.Problem] = []
        var count = 0
        func note(_ problem: VerifyReport.Problem) {
            count += 1
            if problems.count < VerifyReport.problemLimit { problems.append(problem) }
        }
        let point: RestorePoint
        do {
            point = try await restorePoint(id)
        } catch let error as RepositoryError {
            note(.init(object: id.objectKey, reason: error.message))
            return .init(id: id.hex, problems: problems, problemCount: count)
        } catch {
            note(.init(object: id.objectKey, reason: "\(error)"))
            return .init(id: id.hex, problems: problems, problemCount: count)
        }
        guard let stored = point.root else { return .init(id: id.hex, problems: [], problemCount: 0) }
        guard let root = stored.ref else {
            note(.init(object: id.objectKey, reason: "its root node ID is not valid"))
            return .init(id: id.hex, problems: problems, problemCount: count)
        }
        var stack = [root]
        var visited: Set<BlockID> = []
        while let ref = stack.popLast() {
            guard visited.insert(ref.id).inserted else { continue }
            if let problem = state.problem(with: ref) {
                note(problem)
                continue
            }
            let node: TreeNode
            do {
                node = try await loadNode(ref)
            } catch let error as RepositoryError {
                note(.init(object: error.objectKey ?? id.objectKey, block: ref.id.hex, reason: error.message))
                continue
            } catch {
                note(.init(object: id.objectKey, block: ref.id.hex, reason: "\(error)"))
                continue
            }
            for entry in node.entries {
                if node.level > 0 {
                    stack.append(entry.ref)
                } else if let problem = state.problem(with: entry.ref) {
                    note(problem)
                }
            }
        }
        return .init(id: id.hex, problems: problems, problemCount: count)
    }
}
