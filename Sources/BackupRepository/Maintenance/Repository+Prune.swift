import Foundation
import Logging

extension Repository {
    /// Collects garbage: deletes packs no restore point needs and repacks packs that are mostly unused.
    ///
    /// Holds the repository's exclusive lock (so no backup or restore runs meanwhile; a dry run holds a shared
    /// one; see ``RepositoryLocks``) and
    /// leaves objects younger than the grace period alone (see ``GarbageGrace``). Never rewrites a
    /// restore point. Every step leaves a valid repository, in this order per group of packs:
    /// new packs, their index object, replacement index objects, deletion of the replaced index objects,
    /// deletion of packs. Killed anywhere, every restore point stays restorable and a rerun finishes the job.
    /// - Parameters:
    ///   - options: thresholds, grace period, dry run, lock wait, memory budget.
    ///   - lockOptions: identity and timing of the lock taken.
    /// - Returns: what was found and done, including the bytes reclaimed.
    /// - Throws: ``LockError`` when a backup holds the repository; ``RepositoryError`` naming the object
    ///   when something the repository needs is missing or damaged (nothing is deleted in that case).
    public func prune(
        options: PruneOptions = PruneOptions(),
        lockOptions: LockOptions = LockOptions(),
        logger: Logger = Logger(label: "nimbus.prune", factory: { _ in SwiftLogNoOpLogHandler() })
    ) async throws -> PruneReport {
        var waiting = lockOptions
        waiting.waitTimeout = options.lockWait
        let lockOptions = waiting
        if options.dryRun {
            return try await withLock(.shared, purpose: "prune --dry-run", options: lockOptions, logger: logger) { _ in
                try await collectGarbage(options: options, lockOptions: lockOptions, lock: nil, logger: logger)
            }
        }
        return try await withLock(.exclusive, purpose: "prune", options: lockOptions, logger: logger) { handle in
            var report = try await self.collectGarbage(
                options: options,
                lockOptions: lockOptions,
                lock: handle,
                logger: logger
            )
            report.staleLocksRemoved = try await locks(lockOptions).removeStale(logger: logger).count
            return report
        }
    }

    /// The whole collection, under `lock` (nil for a dry run).
    func collectGarbage(
        options: PruneOptions,
        lockOptions: LockOptions,
        lock: LockHandle?,
        logger: Logger
    ) async throws -> PruneReport {
        let now = lockOptions.now()
        var report = PruneReport()
        report.dryRun = options.dryRun
        let points = try await listRestorePoints()
        report.restorePoints = points.count

        var packsInStore: [PackID: ObjectInfo] = [:]
        for try await object in store.objects(prefix: "packs/") {
            if let id = PackID(objectKey: object.key) { packsInStore[id] = object }
        }
        report.packsBefore = packsInStore.count
        report.bytesBefore = packsInStore.values.reduce(0) { $0 + $1.size }

        var indexEntries = 0
        for key in try await listIndexObjects() { indexEntries += try await readIndexObject(key).locations.count }
        if indexEntries == 0 && !points.isEmpty {
            throw RepositoryError(
                .missingObject,
                "the repository at \(location) has restore points but no index entries; nothing was deleted. "
                    + "Rebuild the index from the packs first: `\(Self.rebuildIndexCommand)`",
                objectKey: IndexObject.prefix
            )
        }

        // Packs that restore points reach only through location hints (a lost index object) are kept and
        // indexed again, whatever the index says.
        let unindexed = try await unindexedReferencedPacks(
            points: points,
            packsInStore: packsInStore,
            indexEntries: indexEntries,
            budget: options.markMemoryBudget
        )
        report.packsReindexed = unindexed.count
        if !unindexed.isEmpty {
            logger.warning(
                "prune.unindexed",
                metadata: ["prune.packs": "\(unindexed.count)", "prune.advice": "\(Self.rebuildIndexCommand)"]
            )
            if !options.dryRun {
                report.indexObjectsWritten += try await reindex(unindexed, lock: lock, logger: logger)
            }
        }

        let otherLocks = try await locks(lockOptions).liveLocks().filter { $0.id != lock?.record.id }
        let protectedSince = options.grace.protectedSince(now: now, liveLocks: otherLocks)
        if !options.dryRun, let folder = store as? LocalFolderStore {
            try await folder.removeAbandonedTemporaryFiles(modifiedBefore: protectedSince)
        }
        let groups = PackGroups(indexEntries: indexEntries, budget: options.markMemoryBudget)
        report.markPasses = groups.count
        logger.debug(
            "prune.start",
            metadata: [
                "prune.restore-points": "\(points.count)", "prune.packs": "\(packsInStore.count)",
                "prune.index-entries": "\(indexEntries)", "prune.passes": "\(groups.count)",
            ]
        )
        for group in 0..<groups.count {
            try LockHandle.checkpoint()
            try await collectGroup(
                group,
                of: groups,
                points: points,
                packsInStore: packsInStore,
                keep: unindexed,
                protectedSince: protectedSince,
                options: options,
                lock: lock,
                report: &report,
                logger: logger
            )
        }
        report.reclaimedBytes = report.bytesDeleted - report.bytesWritten
        invalidateIndexCache()
        return report
    }
}
