import BackupRepositoryTesting
import Foundation
import Testing

@testable import BackupRepository

#if canImport(Glibc)
import Glibc
#endif

/// A lock removed by someone else (`repo unlock --all`, a stale-lock cleanup) while its holder refreshes it is
/// never written back: the refresh is a replace-existing write, refused in the same step when the lock is gone.
@Suite struct LockRefreshRemovalTests {
    let folder: ScratchFolder
    let store: LocalFolderStore

    init() throws {
        folder = try ScratchFolder("nimbus-lock-refresh")
        store = try LocalFolderStore(root: folder.path)
    }

    func locks(_ store: any ObjectStore, host: String) -> RepositoryLocks {
        var options = LockOptions()
        options.host = host
        options.pid = 4242
        options.holder = "tester"
        options.retryInterval = .milliseconds(10)
        return RepositoryLocks(store: store, options: options)
    }

    @Test func aLockRemovedJustBeforeTheRefreshWritesIsNotRecreated() async throws {
        defer { folder.remove() }
        let root = folder.path
        // The lock file disappears after the refresh started and right before its write reaches the store:
        // the moment a check-then-write refresh would write the lock back.
        let faulty = FaultyStore(
            store,
            rules: [FaultRule(.put, keyPrefix: LockRecord.prefix, occurrence: 2, effect: .stopBefore("remove"))]
        ) { _ in
            let locks = root + "/" + LockRecord.prefix
            for name in (try? FileManager.default.contentsOfDirectory(atPath: locks)) ?? [] {
                unlink(locks + name)
            }
        }
        let handle = try await locks(faulty, host: "host-a").acquire(.shared, purpose: "backup")
        #expect(try await store.head(handle.key) != nil)
        let error = await #expect(throws: LockError.self) { try await handle.refresh() }
        #expect(error?.code == .lost)
        #expect(faulty.calls(.put) == 2)
        #expect(try await store.head(handle.key) == nil)
        #expect(throws: LockError.self) { try handle.checkHeld() }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: root + "/" + LockRecord.prefix)
        #expect(leftovers.isEmpty, "the refused refresh left files: \(leftovers)")
    }

    @Test func refreshesRacingARemovalNeverBringTheLockBack() async throws {
        defer { folder.remove() }
        let other = locks(store, host: "host-b")
        for _ in 0..<10 {
            let handle = try await locks(store, host: "host-a").acquire(.shared, purpose: "backup")
            // (removal, count): the refreshes that succeeded, or the locks the removal deleted.
            let outcomes = try await withThrowingTaskGroup(of: (Bool, Int).self) { group in
                for _ in 0..<3 {
                    group.addTask {
                        var succeeded = 0
                        for _ in 0..<8 {
                            do {
                                try await handle.refresh()
                                succeeded += 1
                            } catch let error as LockError where error.code == .lost {
                                break
                            }
                        }
                        return (false, succeeded)
                    }
                }
                group.addTask { (true, try await other.removeAll().count) }
                var outcomes: [(Bool, Int)] = []
                for try await outcome in group { outcomes.append(outcome) }
                return outcomes
            }
            #expect(outcomes.filter(\.0).map(\.1) == [1], "the removal deleted the one lock")
            #expect(try await store.head(handle.key) == nil, "a refresh wrote the removed lock back")
            #expect(try await other.list().isEmpty)
            await #expect(throws: LockError.self) { try await handle.refresh() }
        }
    }
}
