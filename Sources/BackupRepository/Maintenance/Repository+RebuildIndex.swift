import Foundation
import Logging

extension Repository {
    /// Index entries written per index object by a rebuild (about 10 MB of index).
    static let rebuildBatchEntries = 200_000

    /// Rebuilds the index from the pack trailers alone (`nimbus repo index rebuild`): writes new index
    /// objects listing every block of every pack, then deletes the index objects that existed before.
    ///
    /// Holds the exclusive lock, so no backup or prune runs meanwhile. A pack whose trailer cannot be read
    /// keeps the entries the old index objects had for it. Killed at any point, the repository stays valid:
    /// the old objects are deleted only after the new ones are written, and listing a block twice is allowed.
    /// - Returns: what was read and written.
    /// - Throws: ``LockError`` when another operation holds the repository; store failures.
    public func rebuildIndex(
        lockOptions: LockOptions = LockOptions(),
        logger: Logger = Logger(label: "nimbus.index", factory: { _ in SwiftLogNoOpLogHandler() })
    ) async throws -> IndexRebuildReport {
        try await withLock(.exclusive, purpose: "index rebuild", options: lockOptions, logger: logger) { handle in
            try await self.runRebuildIndex(lock: handle, logger: logger)
        }
    }

    private func runRebuildIndex(lock: LockHandle, logger: Logger) async throws -> IndexRebuildReport {
        var report = IndexRebuildReport()
        let oldKeys = try await listIndexObjects()
        var batch: [BlockLocation] = []
        func flush() async throws {
            guard !batch.isEmpty else { return }
            try lock.checkHeld()
            try await writeIndexObject(IndexObject(locations: batch))
            report.indexObjectsWritten += 1
            report.blocksIndexed += batch.count
            batch.removeAll(keepingCapacity: true)
        }
        var unreadable: Set<PackID> = []
        for pack in try await listPacks().sorted() {
            do {
                batch += try await readPackTrailer(pack).map { BlockLocation(pack: pack, entry: $0) }
                report.packsRead += 1
            } catch let error as RepositoryError {
                logger.warning(
                    "index.rebuild.unreadable",
                    metadata: ["pack": "\(pack.objectKey)", "error": "\(error)"]
                )
                unreadable.insert(pack)
            }
            if batch.count >= Self.rebuildBatchEntries { try await flush() }
        }
        if !unreadable.isEmpty {
            for key in oldKeys {
                guard let object = try await readIndexObjectIfIntact(key) else { continue }
                batch += object.locations.filter { unreadable.contains($0.pack) }
                if batch.count >= Self.rebuildBatchEntries { try await flush() }
            }
        }
        try await flush()
        report.unreadablePacks = unreadable.sorted().map(\.objectKey)
        for key in oldKeys {
            try lock.checkHeld()
            try await store.delete(key)
            report.indexObjectsDeleted += 1
        }
        invalidateIndexCache()
        return report
    }
}
