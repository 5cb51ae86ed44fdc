import Logging

extension Repository {
    /// The lock manager of this repository (objects under `locks/`): list locks, remove stale ones.
    ///
    /// Operations take the lock they need themselves: backups, restores and verify a shared lock, forget and
    /// prune an exclusive one (see ``RepositoryLocks`` and docs/FORMAT.md, "Lock objects").
    public func locks(_ options: LockOptions = LockOptions()) -> RepositoryLocks {
        RepositoryLocks(store: store, options: options)
    }

    /// Runs one operation under a lock of this repository, refreshed in the background (see
    /// ``RepositoryLocks/withLock(_:purpose:logger:_:)``).
    ///
    /// After taking the lock the in-memory index is dropped, so that `body` sees the index as it is now and
    /// not as it was before a prune that ran while this process held no lock.
    func withLock<T>(
        _ kind: LockRecord.Kind,
        purpose: String,
        options: LockOptions,
        logger: Logger = Logger(label: "nimbus.locks", factory: { _ in SwiftLogNoOpLogHandler() }),
        _ body: (LockHandle) async throws -> T
    ) async throws -> T {
        try await locks(options).withLock(kind, purpose: purpose, logger: logger) { handle in
            self.invalidateIndexCache()
            return try await body(handle)
        }
    }
}

extension RepositoryLocks {
    /// Checks that the store holds a repository (its `config`, or the config's copy), without a password, so that
    /// listing or removing locks in a wrong folder fails with `notARepository` instead of finding nothing.
    public func requireRepository() async throws {
        _ = try await Repository.readConfig(store: store)
    }
}
