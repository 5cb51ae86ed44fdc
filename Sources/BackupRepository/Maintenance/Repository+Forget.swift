import Foundation
import Logging

extension Repository {
    /// Deletes restore points by ID. Only the restore point objects go; their blocks stay until ``prune(options:lockOptions:logger:)``.
    ///
    /// Holds the repository's exclusive lock (taken with `lockOptions`) unless `dryRun` is set.
    /// - Throws: ``RepositoryError`` with ``RepositoryError/Code/restorePointNotFound`` (before deleting anything)
    ///   when an ID does not exist; ``LockError`` when a backup, restore, verify or prune holds the repository.
    public func forget(
        _ ids: [RestorePointID],
        dryRun: Bool = false,
        lockOptions: LockOptions = LockOptions(),
        logger: Logger = Logger(label: "nimbus.forget", factory: { _ in SwiftLogNoOpLogHandler() })
    ) async throws -> ForgetResult {
        try await underForgetLock(dryRun: dryRun, lockOptions: lockOptions, logger: logger) {
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
            if !dryRun { try await deleteRestorePoints(unique, logger: logger) }
            return ForgetResult(dryRun: dryRun, plan: nil, removed: unique.map(\.hex))
        }
    }

    /// Deletes the restore points a retention policy does not keep.
    ///
    /// Holds the repository's exclusive lock (taken with `lockOptions`) unless `dryRun` is set.
    /// - Parameters:
    ///   - policy: the rules; an empty policy is refused.
    ///   - now: the reference time for ``RetentionPolicy/keepWithin``.
    ///   - grouping: how restore points are grouped and where their tags come from; by default VM restore
    ///     points by VM resource ID and others by the metadata keys `vm` and `disk`.
    ///   - dryRun: decide and report, delete nothing.
    /// - Returns: the plan (kept with reasons, removed) and the IDs removed.
    public func forget(
        policy: RetentionPolicy,
        now: Date,
        grouping: RetentionGrouping = .byVM(),
        dryRun: Bool = false,
        lockOptions: LockOptions = LockOptions(),
        logger: Logger = Logger(label: "nimbus.forget", factory: { _ in SwiftLogNoOpLogHandler() })
    ) async throws -> ForgetResult {
        try await underForgetLock(dryRun: dryRun, lockOptions: lockOptions, logger: logger) {
            let points = try await listRestorePoints()
            let plan = try policy.evaluate(grouping.candidates(for: points), now: now)
            let ids = plan.removed.compactMap { RestorePointID($0.id) }
            if !dryRun { try await deleteRestorePoints(ids, logger: logger) }
            return ForgetResult(dryRun: dryRun, plan: plan, removed: plan.removedIDs)
        }
    }

    /// Runs `body` under the exclusive lock, or with no lock for a dry run (which only lists restore points).
    private func underForgetLock(
        dryRun: Bool,
        lockOptions: LockOptions,
        logger: Logger,
        _ body: () async throws -> ForgetResult
    ) async throws -> ForgetResult {
        if dryRun { return try await body() }
        return try await withLock(.exclusive, purpose: "forget", options: lockOptions, logger: logger) { _ in
            try await body()
        }
    }

    /// Deletes restore point objects (under the caller's lock).
    private func deleteRestorePoints(_ ids: [RestorePointID], logger: Logger) async throws {
        for id in ids {
            try LockHandle.checkpoint()
            try await store.delete(id.objectKey)
            logger.debug("forget.removed", metadata: ["restore-point.id": "\(id)"])
        }
    }
}
