import Logging

extension Repository {
    /// The lock manager of this repository (objects under `locks/`).
    ///
    /// Backups, restores, verify and forget take a shared lock, prune an exclusive one; see ``RepositoryLocks``.
    public func locks(_ options: LockOptions = LockOptions()) -> RepositoryLocks {
        RepositoryLocks(store: store, options: options)
    }

    /// Runs `body` under a lock of this repository, refreshed in the background (see
    /// ``RepositoryLocks/withLock(_:purpose:logger:_:)``).
    ///
    /// After taking the lock the in-memory index is dropped, so that `body` sees the index as it is now and
    /// not as it was before a prune that ran while this process held no lock. Wrap every backup in
    /// `withLock(.shared, purpose: "backup")`: that is what makes prune safe while backups run.
    public func withLock<T: Sendable>(
        _ kind: LockRecord.Kind,
        purpose: String,
        options: LockOptions = LockOptions(),
        logger: Logger = Logger(label: "nimbus.locks", factory: { _ in SwiftLogNoOpLogHandler() }),
        _ body: @escaping @Sendable (LockHandle) async throws -> T
    ) async throws -> T {
        try await locks(options).withLock(kind, purpose: purpose, logger: logger) { handle in
            self.invalidateIndexCache()
            return try await body(handle)
        }
    }
}
