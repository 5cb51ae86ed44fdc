import Logging

extension RepositoryLocks {
    /// Runs `body` while holding a lock that is refreshed in the background, then releases it.
    ///
    /// If the lock is lost while `body` runs (its object removed, or a refresh failed for longer
    /// than the stale limit), `body` is cancelled and the ``LockError`` is thrown.
    public func withLock<T: Sendable>(
        _ kind: LockRecord.Kind,
        purpose: String,
        logger: Logger = Logger(label: "nimbus.locks", factory: { _ in SwiftLogNoOpLogHandler() }),
        _ body: @escaping @Sendable (LockHandle) async throws -> T
    ) async throws -> T {
        let handle = try await acquire(kind, purpose: purpose, logger: logger)
        do {
            let value = try await withThrowingTaskGroup(of: T?.self) { group in
                group.addTask {
                    try await handle.keepRefreshing()
                    return nil
                }
                group.addTask { try await body(handle) }
                var result: T?
                while let next = try await group.next() {
                    if let next {
                        result = next
                        group.cancelAll()
                    }
                }
                guard let result else { throw CancellationError() }
                return result
            }
            try await handle.release()
            return value
        } catch {
            try? await handle.release()
            throw error
        }
    }
}
