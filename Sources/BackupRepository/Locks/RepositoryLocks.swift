import Foundation
import Logging

/// Takes, lists and clears the locks of a repository (objects under `locks/`).
///
/// The protocol: to take a lock, write a new lock object with ``PutMode/createOnly`` and then
/// list every lock. If a live lock of another holder is incompatible (an exclusive lock, or any
/// lock when asking for an exclusive one), delete the new object and retry later or fail. Because
/// each contender lists *after* writing, of two contenders at least one sees the other, so two
/// incompatible locks are never both granted. Held locks are refreshed every
/// ``LockOptions/refreshInterval``; a lock not refreshed within ``LockOptions/staleAfter``, or
/// whose process is gone on this host, is stale and ignored, so a crashed holder blocks nobody for
/// longer than the stale limit.
public struct RepositoryLocks: Sendable {
    /// The repository's store.
    public let store: any ObjectStore
    /// Identity, timing and clock.
    public var options: LockOptions

    /// Creates a lock manager for a store.
    public init(store: any ObjectStore, options: LockOptions = LockOptions()) {
        self.store = store
        self.options = options
    }

    /// Takes a lock, retrying for up to ``LockOptions/waitTimeout`` while a conflicting live lock exists.
    /// - Parameters:
    ///   - kind: shared (backup, restore, verify) or exclusive (prune).
    ///   - purpose: a word for people listing locks, e.g. `backup`.
    /// - Returns: the held lock; release it with ``LockHandle/release()``.
    /// - Throws: ``LockError`` with code ``LockError/Code/locked`` naming the holders when the wait ran out.
    public func acquire(
        _ kind: LockRecord.Kind,
        purpose: String,
        logger: Logger = Logger(label: "nimbus.locks", factory: { _ in SwiftLogNoOpLogHandler() })
    ) async throws -> LockHandle {
        let deadline = ContinuousClock.now.advanced(by: options.waitTimeout)
        // Contenders that collide retreat and retry; the pause doubles with each collision (up to eight times the
        // interval), so that when attempts are slower than the pause (a busy store) they spread out instead of
        // colliding again and again.
        var pause = options.retryInterval
        while true {
            let (handle, conflicts) = try await attempt(kind, purpose: purpose, logger: logger)
            if let handle { return handle }
            if ContinuousClock.now >= deadline {
                throw LockError(
                    .locked,
                    key: LockRecord.prefix,
                    message: "another \(conflicts.contains { $0.kind == .exclusive } ? "exclusive" : "live") lock "
                        + "is held in \(store.location); wait for it to finish (see who holds it with "
                        + "`nimbus repo locks`), or if its holder is gone, remove stale locks with "
                        + "`nimbus repo unlock --stale`",
                    holders: conflicts
                )
            }
            logger.debug(
                "lock.wait",
                metadata: ["lock.kind": "\(kind.rawValue)", "lock.conflicts": "\(conflicts.count)"]
            )
            try await Task.sleep(for: .seconds(pause.inSeconds * Double.random(in: 0.5...1.5)))
            pause = min(pause * 2, options.retryInterval * 8)
        }
    }

    /// One attempt: write a lock object, list, and keep it only if nothing live conflicts.
    private func attempt(
        _ kind: LockRecord.Kind,
        purpose: String,
        logger: Logger
    ) async throws -> (LockHandle?, [LockRecord]) {
        let now = options.now()
        let record = LockRecord(
            id: Self.randomID(),
            kind: kind,
            purpose: purpose,
            holder: options.holder,
            host: options.host,
            pid: options.pid,
            created: now,
            refreshed: now
        )
        try await store.put(record.key, contents: try record.encoded(), mode: .createOnly)
        do {
            return try await keepIfUncontested(record, logger: logger)
        } catch {
            // Cancelled (Ctrl-C) or failed while listing: the new object must not stay behind.
            let store = self.store
            try? await Task { try await store.delete(record.key) }.value
            throw error
        }
    }

    /// The second half of an attempt: list, and keep the new lock only if nothing live conflicts.
    private func keepIfUncontested(
        _ record: LockRecord,
        logger: Logger
    ) async throws -> (LockHandle?, [LockRecord]) {
        let kind = record.kind
        let conflicts = try await list().compactMap { status -> LockRecord? in
            guard !status.isStale, status.key != record.key else { return nil }
            guard let other = status.record else {
                // An undecodable lock that is not yet stale counts as exclusive: safety first.
                return LockRecord(
                    id: String(status.key.dropFirst(LockRecord.prefix.count)),
                    kind: .exclusive,
                    purpose: "unknown",
                    holder: "unknown",
                    host: "unknown",
                    pid: 0,
                    created: status.modified,
                    refreshed: status.modified
                )
            }
            return record.isCompatible(with: other) ? nil : other
        }
        if conflicts.isEmpty {
            logger.debug("lock.acquired", metadata: ["lock.key": "\(record.key)", "lock.kind": "\(kind.rawValue)"])
            return (LockHandle(store: store, record: record, options: options), [])
        }
        try await store.delete(record.key)
        return (nil, conflicts)
    }

    /// Every lock object in the repository with its staleness, in key order.
    public func list() async throws -> [LockStatus] {
        var result: [LockStatus] = []
        for try await info in store.objects(prefix: LockRecord.prefix) {
            let record: LockRecord?
            do {
                record = try LockRecord.decode(try await store.get(info.key, maxBytes: ObjectSizeLimits.lock))
            } catch let error as ObjectStoreError where error.code == .notFound {
                continue  // released between listing and reading
            } catch is DecodingError {
                record = nil
            }
            result.append(
                LockStatus(
                    key: info.key,
                    record: record,
                    modified: info.modified,
                    isStale: isStale(record, modified: info.modified)
                )
            )
        }
        return result
    }

    /// The live (not stale) locks.
    public func liveLocks() async throws -> [LockRecord] {
        try await list().filter { !$0.isStale }.compactMap(\.record)
    }

    /// Deletes every stale lock (`nimbus repo unlock --stale`) and returns the keys removed.
    @discardableResult
    public func removeStale(
        logger: Logger = Logger(label: "nimbus.locks", factory: { _ in SwiftLogNoOpLogHandler() })
    ) async throws -> [String] {
        var removed: [String] = []
        for status in try await list() where status.isStale {
            try await store.delete(status.key)
            logger.debug("lock.removed-stale", metadata: ["lock.key": "\(status.key)"])
            removed.append(status.key)
        }
        return removed
    }

    /// Deletes every lock, live or not (`nimbus repo unlock --all`): only when no holder is running.
    @discardableResult
    public func removeAll() async throws -> [String] {
        var removed: [String] = []
        for status in try await list() {
            try await store.delete(status.key)
            removed.append(status.key)
        }
        return removed
    }

    /// Whether a lock no longer counts: too old, or its process is gone from this host.
    func isStale(_ record: LockRecord?, modified: Date) -> Bool {
        let now = options.now()
        let limit = TimeInterval(options.staleAfter.components.seconds)
        guard let record else { return now.timeIntervalSince(modified) > limit }
        if now.timeIntervalSince(record.refreshed) > limit { return true }
        if record.host == options.host && record.pid != options.pid && record.pid > 0 {
            return !Self.processExists(record.pid)
        }
        return false
    }

    /// Whether a process with this ID exists on this machine.
    static func processExists(_ pid: Int32) -> Bool {
        if kill(pid, 0) == 0 { return true }
        return errno != ESRCH
    }

    /// 32 random lowercase hexadecimal digits.
    static func randomID() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in
            let byte = UInt8.random(in: 0...255, using: &generator)
            let text = String(byte, radix: 16)
            return byte < 16 ? "0" + text : text
        }.joined()
    }
}
