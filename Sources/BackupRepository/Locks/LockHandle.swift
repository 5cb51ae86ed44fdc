import Foundation
import Logging
import Synchronization

/// A lock held by this process: refresh it while working, check it before committing, release it.
public final class LockHandle: Sendable {
    /// The lock's contents as first written.
    public let record: LockRecord
    let store: any ObjectStore
    let options: LockOptions
    private let state: Mutex<State>

    private struct State {
        var lastRefresh: Date
        var released = false
        var lost = false
    }

    init(store: any ObjectStore, record: LockRecord, options: LockOptions) {
        self.store = store
        self.record = record
        self.options = options
        self.state = Mutex(State(lastRefresh: record.refreshed))
    }

    /// The object key of the lock.
    public var key: String { record.key }

    /// Rewrites the lock with a new refresh time.
    ///
    /// The rewrite is a ``PutMode/replaceExisting`` write: if the lock object was removed (`repo unlock`, or a
    /// stale-lock cleanup), the store refuses it in the same atomic step, so a refresh never writes a removed
    /// lock back.
    /// - Throws: ``LockError`` with code ``LockError/Code/lost`` when the lock object is gone
    ///   (someone removed it as stale) or the previous refresh is older than the stale limit.
    public func refresh() async throws {
        try checkHeld()
        var updated = record
        updated.refreshed = options.now()
        do {
            try await store.put(record.key, contents: try updated.encoded(), mode: .replaceExisting)
        } catch let error as ObjectStoreError where error.code == .notFound {
            state.withLock { $0.lost = true }
            throw LockError(
                .lost,
                key: record.key,
                message: "the lock was removed by someone else; stop and start the operation again"
            )
        }
        state.withLock { $0.lastRefresh = updated.refreshed }
    }

    /// Throws unless the lock is still held and fresh: call it before an irreversible step
    /// (committing a restore point, deleting packs).
    /// - Throws: ``LockError`` with code ``LockError/Code/lost``.
    public func checkHeld() throws {
        let (lastRefresh, released, lost) = state.withLock { ($0.lastRefresh, $0.released, $0.lost) }
        let limit = TimeInterval(options.staleAfter.components.seconds)
        if released || lost || options.now().timeIntervalSince(lastRefresh) > limit {
            state.withLock { $0.lost = $0.lost || !released }
            throw LockError(
                .lost,
                key: record.key,
                message: released
                    ? "the lock was already released"
                    : "the lock was not refreshed within the stale limit and may have been taken over; "
                        + "stop and start the operation again"
            )
        }
    }

    /// Refreshes the lock every ``LockOptions/refreshInterval`` until the task is cancelled or the lock is lost.
    ///
    /// A refresh that fails for another reason (the store is briefly unreachable) is retried at the next
    /// interval; if none succeeds within ``LockOptions/staleAfter``, ``checkHeld()`` reports the lock lost.
    /// Returns when the task is cancelled or the lock object was removed; then ``checkHeld()`` throws.
    public func keepRefreshing(
        logger: Logger = Logger(label: "nimbus.locks", factory: { _ in SwiftLogNoOpLogHandler() })
    ) async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: options.refreshInterval)
            } catch {
                return
            }
            do {
                try await refresh()
            } catch let error as LockError where error.code == .lost {
                logger.warning("lock.lost", metadata: ["lock.key": "\(record.key)", "error": "\(error.message)"])
                return
            } catch {
                logger.debug("lock.refresh-failed", metadata: ["lock.key": "\(record.key)", "error": "\(error)"])
            }
        }
    }

    /// Deletes the lock object. Releasing twice is harmless.
    public func release() async throws {
        let alreadyReleased = state.withLock { state in
            defer { state.released = true }
            return state.released
        }
        if !alreadyReleased { try await store.delete(record.key) }
    }
}
