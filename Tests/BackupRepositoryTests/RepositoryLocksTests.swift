import Foundation
import Testing

@testable import BackupRepository

/// The lock protocol over the store production uses, ``LocalFolderStore``.
@Suite struct RepositoryLocksTests {
    let folder: ScratchFolder
    let store: LocalFolderStore
    let clock = TestClock()

    init() throws {
        folder = try ScratchFolder("nimbus-locks")
        store = try LocalFolderStore(root: folder.url.path)
    }

    func locks(host: String = "host-a", pid: Int32 = 4242) -> RepositoryLocks {
        var options = LockOptions()
        options.host = host
        options.pid = pid
        options.holder = "tester"
        options.now = clock.closure
        options.retryInterval = .milliseconds(10)
        options.refreshInterval = .milliseconds(20)
        return RepositoryLocks(store: store, options: options)
    }

    @Test func sharedLocksCoexistAndExcludeAnExclusiveOne() async throws {
        defer { folder.remove() }
        let backup1 = try await locks().acquire(.shared, purpose: "backup")
        let backup2 = try await locks(host: "host-b").acquire(.shared, purpose: "backup")
        let error = await #expect(throws: LockError.self) {
            try await locks(host: "host-c").acquire(.exclusive, purpose: "prune")
        }
        #expect(error?.code == .locked)
        #expect(Set(error?.holders.map(\.host) ?? []) == ["host-a", "host-b"])
        #expect(error?.description.contains("unlock --stale") == true)
        // The refused attempt left no object behind.
        #expect(try await locks().list().count == 2)

        try await backup1.release()
        try await backup2.release()
        let prune = try await locks(host: "host-c").acquire(.exclusive, purpose: "prune")
        #expect(prune.record.kind == .exclusive)
        let blocked = await #expect(throws: LockError.self) {
            try await locks(host: "host-d").acquire(.shared, purpose: "backup")
        }
        #expect(blocked?.holders.map(\.purpose) == ["prune"])
        try await prune.release()
        #expect(try await locks().list().isEmpty)
    }

    @Test func theLockObjectRecordsItsHolder() async throws {
        defer { folder.remove() }
        let handle = try await locks().acquire(.shared, purpose: "backup")
        let stored = try LockRecord.decode(try await store.get(handle.key))
        #expect(stored == handle.record)
        #expect(stored.host == "host-a" && stored.pid == 4242 && stored.holder == "tester")
        #expect(stored.created == clock.now && stored.refreshed == clock.now)
        #expect(handle.key.hasPrefix("locks/") && handle.key.count == "locks/".count + 32)
        let text = String(decoding: try await store.get(handle.key), as: UTF8.self)
        #expect(text.contains("\"kind\" : \"shared\""))
    }

    @Test func aLockNotRefreshedInTimeIsStaleAndBlocksNobody() async throws {
        defer { folder.remove() }
        _ = try await locks(host: "host-b").acquire(.exclusive, purpose: "prune")
        await #expect(throws: LockError.self) { try await locks().acquire(.shared, purpose: "backup") }

        clock.advance(by: 30 * 60 + 1)
        let statuses = try await locks().list()
        #expect(statuses.count == 1 && statuses[0].isStale)
        let backup = try await locks().acquire(.shared, purpose: "backup")
        let removed = try await locks().removeStale()
        #expect(removed.count == 1 && removed[0] != backup.key)
        #expect(try await locks().list().map(\.key) == [backup.key])
    }

    @Test func aLockOfADeadProcessOnThisHostIsStaleAtOnce() async throws {
        defer { folder.remove() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        let deadPID = process.processIdentifier

        _ = try await locks(host: "host-a", pid: deadPID).acquire(.exclusive, purpose: "prune")
        // Seen from another host, the lock is live: that host cannot check the process.
        await #expect(throws: LockError.self) {
            try await locks(host: "host-b").acquire(.shared, purpose: "backup")
        }
        // Seen from the same host, the process is gone, so the lock is stale.
        let backup = try await locks(host: "host-a").acquire(.shared, purpose: "backup")
        #expect(try await locks(host: "host-a").list().filter(\.isStale).count == 1)
        try await backup.release()
    }

    @Test func aLiveProcessOnThisHostKeepsItsLock() async throws {
        defer { folder.remove() }
        let ownPID = ProcessInfo.processInfo.processIdentifier
        _ = try await locks(host: "host-a", pid: ownPID).acquire(.exclusive, purpose: "prune")
        await #expect(throws: LockError.self) {
            try await locks(host: "host-a", pid: 1).acquire(.shared, purpose: "backup")
        }
    }

    @Test func refreshMovesTheRefreshTimeAndDetectsRemoval() async throws {
        defer { folder.remove() }
        let handle = try await locks().acquire(.shared, purpose: "backup")
        clock.advance(by: 600)
        try await handle.refresh()
        let stored = try LockRecord.decode(try await store.get(handle.key))
        #expect(stored.refreshed == clock.now)
        #expect(stored.created == handle.record.created)

        // 25 minutes later the lock is still fresh because of the refresh.
        clock.advance(by: 25 * 60)
        #expect(try await locks(host: "host-b").list().allSatisfy { !$0.isStale })

        try await locks().removeAll()
        let error = await #expect(throws: LockError.self) { try await handle.refresh() }
        #expect(error?.code == .lost)
        #expect(throws: LockError.self) { try handle.checkHeld() }
    }

    @Test func checkHeldFailsOnceTheStaleLimitHasPassed() async throws {
        defer { folder.remove() }
        let handle = try await locks().acquire(.shared, purpose: "backup")
        try handle.checkHeld()
        clock.advance(by: 30 * 60 + 5)
        let error = #expect(throws: LockError.self) { try handle.checkHeld() }
        #expect(error?.code == .lost)
        await #expect(throws: LockError.self) { try await handle.refresh() }
    }

    @Test func releasingTwiceIsHarmless() async throws {
        defer { folder.remove() }
        let handle = try await locks().acquire(.exclusive, purpose: "prune")
        try await handle.release()
        try await handle.release()
        #expect(try await locks().list().isEmpty)
        #expect(throws: LockError.self) { try handle.checkHeld() }
    }

    @Test func anUndecodableFreshLockCountsAsExclusive() async throws {
        defer { folder.remove() }
        try await store.put("locks/garbage", contents: Data("not json".utf8), mode: .createOnly)
        let error = await #expect(throws: LockError.self) { try await locks().acquire(.shared, purpose: "backup") }
        #expect(error?.holders.first?.purpose == "unknown")
        let statuses = try await locks().list()
        #expect(statuses.count == 1 && statuses[0].record == nil && !statuses[0].isStale)
    }

    @Test func waitingAcquiresOnceTheHolderReleases() async throws {
        defer { folder.remove() }
        let backup = try await locks(host: "host-b").acquire(.shared, purpose: "backup")
        var waiting = locks()
        waiting.options.waitTimeout = .seconds(60)
        let log = LogRecorder()
        async let prune = waiting.acquire(.exclusive, purpose: "prune", logger: log.logger)
        // Release only once the waiter has met the conflict and is retrying.
        try await waitUntil("the prune waits for the backup's lock") { log.contains("lock.wait") }
        try await backup.release()
        let handle = try await prune
        #expect(handle.record.kind == .exclusive)
        #expect(try await locks().list().map(\.key) == [handle.key])
    }

    @Test func withLockRefreshesWhileTheBodyRunsAndReleasesAfterwards() async throws {
        defer { folder.remove() }
        let clock = self.clock
        let store = self.store
        let key = try await locks().withLock(.shared, purpose: "backup") { handle in
            let first = handle.record.refreshed
            // Let the clock run (well within the stale limit) until the background refresh rewrites the lock.
            try await waitUntil("the background refresh rewrites the lock") {
                clock.advance(by: 0.5)
                return try LockRecord.decode(try await store.get(handle.key)).refreshed > first
            }
            try handle.checkHeld()
            return handle.key
        }
        #expect(try await store.head(key) == nil)
    }

    @Test func withLockMarksTheHandleLostWhenItsObjectIsRemoved() async throws {
        defer { folder.remove() }
        let log = LogRecorder()
        let other = locks(host: "host-b")
        let error = await #expect(throws: LockError.self) {
            try await locks().withLock(.shared, purpose: "backup", logger: log.logger) { handle in
                try handle.checkHeld()
                // The background refresh notices the removal; from then on the operation's checks fail. The
                // refresh replaces only an existing object, so one removal is enough: it is never written back.
                #expect(try await other.removeAll() == [handle.key])
                try await waitUntil("the refresh notices the removal") { log.contains("lock.lost") }
                try LockHandle.checkpoint()
                Issue.record("the checkpoint passed although the lock was lost")
            }
        }
        #expect(error?.code == .lost)
        #expect(try await locks().list().isEmpty)
    }

    @Test func withLockReleasesWhenTheBodyThrows() async throws {
        defer { folder.remove() }
        struct Boom: Error {}
        await #expect(throws: Boom.self) {
            try await locks().withLock(.exclusive, purpose: "prune") { _ -> Int in throw Boom() }
        }
        #expect(try await locks().list().isEmpty)
    }

    @Test func exclusiveHoldersNeverOverlap() async throws {
        defer { folder.remove() }
        let inside = Shared(0)
        let maximum = Shared(0)
        let completed = Shared(0)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<6 {
                var contender = locks(host: "host-\(index)")
                contender.options.waitTimeout = .seconds(60)
                let kind: LockRecord.Kind = index.isMultiple(of: 2) ? .exclusive : .shared
                group.addTask {
                    try await contender.withLock(kind, purpose: "test") { _ in
                        let now = inside.update { count in
                            count += kind == .exclusive ? 100 : 1
                            return count
                        }
                        maximum.update { $0 = max($0, now) }
                        try await Task.sleep(for: .milliseconds(15))
                        inside.update { $0 -= kind == .exclusive ? 100 : 1 }
                        completed.update { $0 += 1 }
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(completed.value == 6)
        // An exclusive holder counts 100: alone it is exactly 100, any overlap would exceed it.
        #expect(maximum.value <= 100)
        #expect(try await locks().list().isEmpty)
    }
}
