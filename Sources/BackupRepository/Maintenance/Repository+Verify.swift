import Foundation
import Logging

extension Repository {
    /// Checks the repository and says which restore points are intact and which are damaged, and why.
    ///
    /// Quick mode checks existence and sizes: every index object decodes, every index entry lies inside an
    /// existing pack, every restore point's tree nodes are readable, and every block a restore point
    /// references has a copy (its hinted one or an indexed one) inside an existing pack. Full mode also reads
    /// every pack, checks its header, compares its trailer with the index and decrypts and re-hashes every
    /// block, so that a restore point is called intact only when a restore of it succeeds.
    /// Referenced blocks that only a location hint reaches are reported: `nimbus repo index rebuild` indexes
    /// them again. Memory is bounded by `memoryBudget` plus the pack list (see docs/FORMAT.md, "Verify").
    /// Runs under a shared lock (taken with `lockOptions`); never changes anything. Cancelling the task, or
    /// losing the lock, stops it at its next pack or restore point.
    /// - Parameter packSample: In full mode, the packs to read (a sampled verify); `nil` reads every pack. The
    ///   blocks of packs left out are checked as quick mode checks them.
    /// - Returns: the report; problems found are not thrown, only failures to read the store are.
    /// - Throws: ``LockError`` when a prune holds the repository or the lock was lost.
    public func verify(
        _ mode: VerifyReport.Mode,
        lockOptions: LockOptions = LockOptions(),
        memoryBudget: Int = 256 << 20,
        packSample: (@Sendable (PackID) -> Bool)? = nil,
        logger: Logger = Logger(label: "nimbus.verify", factory: { _ in SwiftLogNoOpLogHandler() })
    ) async throws -> VerifyReport {
        try await withLock(.shared, purpose: "verify", options: lockOptions, logger: logger) { _ in
            try await self.runVerify(mode, memoryBudget: memoryBudget, packSample: packSample, logger: logger)
        }
    }

    private func runVerify(
        _ mode: VerifyReport.Mode,
        memoryBudget: Int,
        packSample: (@Sendable (PackID) -> Bool)?,
        logger: Logger
    ) async throws -> VerifyReport {
        var state = VerifyState()
        for try await object in store.objects(prefix: "packs/") {
            if let id = PackID(objectKey: object.key) { state.packs[id] = object.size }
        }
        try await scanIndex(into: &state)
        if mode == .full {
            try await scanPacks(into: &state, budget: memoryBudget, sample: packSample, logger: logger)
        }
        let results = try await checkReferences(full: mode == .full, state: &state, budget: memoryBudget)
        // Listed first: the advice matters more than the damage it explains.
        var unindexed: [VerifyReport.Problem] = []
        for (pack, blocks) in state.unindexed.sorted(by: { $0.key < $1.key }) {
            let what =
                state.indexedPacks.contains(pack)
                ? "restore points reference \(blocks.count) of its blocks that no index object lists"
                : "no index object lists it, yet restore points reference \(blocks.count) of its blocks"
            unindexed.append(.init(object: pack.objectKey, reason: "\(what); run `\(Self.rebuildIndexCommand)`"))
        }
        state.repositoryProblems = Array((unindexed + state.repositoryProblems).prefix(VerifyReport.problemLimit))
        return VerifyReport(
            mode: mode,
            restorePoints: results,
            repositoryProblems: state.repositoryProblems,
            packsChecked: state.packs.count,
            blocksChecked: state.blocksChecked,
            bytesRead: state.bytesRead,
            passes: state.passes
        )
    }

    /// The command that rebuilds the index from the pack trailers, for messages that advise it.
    static let rebuildIndexCommand = "nimbus repo index rebuild"

    /// Reads every index object once: records which packs are indexed, how many entries there are, and
    /// every entry that names a missing pack or lies outside its pack. Keeps nothing per entry.
    private func scanIndex(into state: inout VerifyState) async throws {
        for key in try await listIndexObjects() {
            let object: IndexObject
            do {
                object = try await readIndexObject(key)
            } catch let error as RepositoryError {
                state.note(.init(object: key, reason: error.message))
                continue
            }
            state.indexEntries += object.locations.count
            for location in object.locations {
                state.indexedPacks.insert(location.pack)
                let entry = location.entry
                if let reason = state.problem(
                    pack: location.pack,
                    offset: entry.offset,
                    length: entry.storedLength,
                    full: false
                ) {
                    state.note(
                        .init(object: location.pack.objectKey, block: entry.id.hex, reason: "indexed: \(reason)")
                    )
                }
            }
        }
        state.blocksChecked = state.indexEntries
    }
}
