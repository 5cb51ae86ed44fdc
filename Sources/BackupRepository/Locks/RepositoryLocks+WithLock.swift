import Logging

extension RepositoryLocks {
    /// Runs `body` while holding a lock that is refreshed in the background, then releases it.
    ///
    /// `body` runs in the calling task, which holds the lock for ``LockHandle/current``. If the lock is lost
    /// while `body` runs (its object removed, or no refresh succeeded within the stale limit), the handle
    /// reports it: every checkpoint of the operation and ``LockHandle/checkHeld()`` then throw ``LockError``
    /// with code ``LockError/Code/lost``, so the operation stops before its next step. The lock is released
    /// however `body` ends, even when the task was cancelled.
    public func withLock<T>(
        _ kind: LockRecord.Kind,
        purpose: String,
        logger: Logger = Logger(label: "nimbus.locks", factory: { _ in SwiftLogNoOpLogHandler() }),
        _ body: (LockHandle) async throws -> T
    ) async throws -> T {
        let handle = try await acquire(kind, purpose: purpose, logger: logger)
        do {
            let value = try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await handle.keepRefreshing(logger: logger) }
                defer { group.cancelAll() }
                return try await LockHandle.$current.withValue(handle) { try await body(handle) }
            }
            try await Self.release(handle)
            return value
        } catch {
            try? await Self.release(handle)
            throw error
        }
    }

    /// Releases outside the caller's task, so that a cancelled operation (Ctrl-C) still removes its lock.
    private static func release(_ handle: LockHandle) async throws {
        try await Task { try await handle.release() }.value
    }
}
