import Foundation
import Logging

extension Repository {
    /// Deletes restore points by ID. Only the restore point objects go; their blocks stay until ``prune(options:lockOptions:logger:)``.
    /// - Throws: ``RepositoryError`` with ``RepositoryError/Code/restorePointNotFound`` (before deleting anything)
    ///   when an ID does not exist; ``LockError`` when a prune holds the repository.
    public func forget(
        _ ids: [RestorePointID],
        dryRun: Bool = false,
        lockOptions: LockOptions = LockOptions(),
        logger: Logger = Logger(label: "nimbus.forget", factory: { _ in SwiftLogNoOpLogHandler() })
    ) async throws -> ForgetResult {
        let existing = Set(try await listRestorePointIDs())
        for id in ids where !existing.contains(id) {
            throw RepositoryError(
                .restorePointNotFound,
                "no restore point \(id) in the repository at \(location); nothing was forgotten. "
                    + "List them with `nimbus repo list`",
                objectKey: id.objectKey
            )
        }
        let unique = Array(Set(ids)).sorted()
        if !dryRun { try await deleteRestorePoints(unique, lockOptions: lockOptions, logger: logger) }
        return ForgetResult(dryRun: dryRun, plan: nil, removed: unique.map(\.hex))
    }

    /// Deletes the restore points a retention policy does not keep.
    /// - Parameters:
    ///   - policy: the rules; an empty policy is refused.
    ///   - now: the reference time for ``RetentionPolicy/keepWithin``.
    ///   - grouping: how restore points are grouped and where their tags come from.
    ///   - dryRun: decide and report, delete nothing.
    /// - Returns: the plan (kept with reasons, removed) and the IDs removed.
    public func forget(
        policy: RetentionPolicy,
        now: Date,
        grouping: RetentionGrouping = .metadataKeys(["vm", "disk"]),
        dryRun: Bool = false,
        lockOptions: LockOptions = LockOptions(),
        logger: Logger = Logger(label: "nimbus.forget", factory: { _ in SwiftLogNoOpLogHandler() })
    ) async throws -> ForgetResult {
        let points = try await listRestorePoints()
        let plan = try policy.evaluate(grouping.candidates(for: points), now: now)
        let ids = plan.removed.compactMap { RestorePointID($0.id) }
        if !dryRun { try await deleteRestorePoints(ids, lockOptions: lockOptions, logger: logger) }
        return ForgetResult(dryRun: dryRun, plan: plan, removed: plan.removedIDs)
    }

    /// Deletes restore point objects under a shared lock.
    private func deleteRestorePoints(
        _ ids: [RestorePointID],
        lockOptions: LockOptions,
        logger: Logger
    ) async throws {
        guard !ids.isEmpty else { return }
        let store = self.store
        try await locks(lockOptions).withLock(.shared, purpose: "forget", logger: logger) { _ in
            for id in ids {
                try await store.delete(id.objectKey)
                logger.debug("forget.removed", metadata: ["restore-point.id": "\(id)"])
            }
        }
    }
}
