import Foundation
import Testing

@testable import BackupRepository

@Suite struct PruneTests {
    @Test func anIncrementalChainStillRestoresAfterEarlierPointsAreForgottenAndPruned() async throws {
        let fixture = try await MaintenanceFixture.make()
        defer { fixture.remove() }
        var image = TestImages.random(4 << 20, seed: 1)
        var images: [RestorePointID: Data] = [:]
        var ids: [RestorePointID] = []
        var parent: RestorePointID?
        for step in 0..<6 {
            let changed = step == 0 ? nil : TestImages.mutate(&image, blocks: 24, seed: UInt64(step))
            let id = try await fixture.backup(image, parent: parent, changed: changed)
            images[id] = image
            ids.append(id)
            parent = id
        }
        let before = try await fixture.packBytes()

        // Forget the first four, one prune after each pair: every remaining point restores exactly.
        for pair in [ids[0...1], ids[2...3]] {
            _ = try await fixture.repository.forget(Array(pair))
            let report = try await fixture.repository.prune(options: MaintenanceFixture.pruneOptions())
            #expect(report.restorePoints == ids.count - (pair.last == ids[1] ? 2 : 4))
            for id in try await fixture.repository.listRestorePointIDs() {
                #expect(try await fixture.restored(id) == images[id], "restore point \(id) after pruning")
            }
        }
        let after = try await fixture.packBytes()
        #expect(after < before)
        let verify = try await fixture.repository.verify(.full)
        #expect(verify.isHealthy, "\(verify.repositoryProblems) \(verify.damagedRestorePoints)")
        #expect(verify.restorePoints.map(\.id) == ids[4...].map(\.hex).sorted())

        // The repository keeps working: an incremental backup on top of the pruned chain restores too.
        let changed = TestImages.mutate(&image, blocks: 10, seed: 99)
        let next = try await fixture.backup(image, parent: ids[5], changed: changed)
        #expect(try await fixture.restored(next) == image)
    }

    @Test func repackingMovesLiveBlocksAndReclaimsTheRest() async throws {
        let fixture = try await MaintenanceFixture.make()
        defer { fixture.remove() }
        let first = TestImages.random(4 << 20, seed: 7)
        // The second image keeps every other block of the first: every old pack ends up half used.
        var second = first
        for block in stride(from: 1, to: first.count / 4096, by: 2) {
            second.replaceSubrange(
                block * 4096..<(block + 1) * 4096,
                with: TestImages.random(4096, seed: UInt64(block))
            )
        }
        let a = try await fixture.backup(first)
        let b = try await fixture.backup(second)
        _ = try await fixture.repository.forget([a])
        let packsBefore = Set(try await fixture.objects(prefix: "packs/").keys)

        let report = try await fixture.repository.prune(options: MaintenanceFixture.pruneOptions(ratio: 0.75))
        #expect(report.packsRepacked > 0)
        #expect(report.packsWritten > 0 && report.packsWritten < report.packsRepacked)
        #expect(report.indexObjectsWritten > 0 && report.indexObjectsDeleted > 0)
        #expect(report.reclaimedBytes > 0)
        #expect(report.reclaimedBytes == report.bytesDeleted - report.bytesWritten)
        let packsAfter = Set(try await fixture.objects(prefix: "packs/").keys)
        #expect(!packsAfter.subtracting(packsBefore).isEmpty, "new packs were written")
        #expect(packsBefore.subtracting(packsAfter).count == report.packsRepacked + report.packsDeleted)

        #expect(try await fixture.restored(b) == second)
        // A fresh repository object (no cached index) restores through the rewritten index as well.
        let reopened = try await Repository.open(store: fixture.store, password: MaintenanceFixture.password)
        let path = fixture.folder.url.appendingPathComponent("reopened").path
        try await reopened.restore(b, toFile: path)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == second)
        let verify = try await fixture.repository.verify(.full)
        #expect(verify.isHealthy, "\(verify.repositoryProblems)")

        // A second prune finds nothing left to do.
        let again = try await fixture.repository.prune(options: MaintenanceFixture.pruneOptions(ratio: 0.75))
        #expect(again.packsDeleted == 0 && again.packsRepacked == 0 && again.reclaimedBytes == 0)
    }

    @Test func aDryRunChangesNothingAndReportsTheSame() async throws {
        let fixture = try await MaintenanceFixture.make()
        defer { fixture.remove() }
        let a = try await fixture.backup(TestImages.random(2 << 20, seed: 3))
        _ = try await fixture.backup(TestImages.random(2 << 20, seed: 4))
        _ = try await fixture.repository.forget([a])
        let objects = try await fixture.objects()
        var options = MaintenanceFixture.pruneOptions()
        options.dryRun = true
        let dry = try await fixture.repository.prune(options: options)
        #expect(dry.dryRun && dry.packsDeleted > 0)
        #expect(try await fixture.objects() == objects)
        let real = try await fixture.repository.prune(options: MaintenanceFixture.pruneOptions())
        #expect(real.packsDeleted == dry.packsDeleted && real.bytesDeleted == dry.bytesDeleted)
        #expect(
            try await fixture.objects(prefix: "packs/").count < objects.keys.filter { $0.hasPrefix("packs/") }.count
        )
    }

    @Test func youngPacksAreProtectedByTheGracePeriod() async throws {
        let fixture = try await MaintenanceFixture.make()
        defer { fixture.remove() }
        let a = try await fixture.backup(TestImages.random(256 << 10, seed: 5))
        _ = try await fixture.repository.forget([a])
        let objects = try await fixture.objects(prefix: "packs/")
        var options = MaintenanceFixture.pruneOptions()
        options.grace = GarbageGrace()
        let report = try await fixture.repository.prune(options: options)
        #expect(report.packsDeleted == 0 && report.packsProtected == objects.count)
        #expect(try await fixture.objects(prefix: "packs/") == objects)

        // An hour later (by the injected clock) the same packs are collected.
        var lockOptions = LockOptions()
        lockOptions.now = { Date().addingTimeInterval(2 * 3_600) }
        let later = try await fixture.repository.prune(options: options, lockOptions: lockOptions)
        #expect(later.packsDeleted == objects.count)
        #expect(try await fixture.objects(prefix: "packs/").isEmpty)
    }

    @Test func pruneRefusesWhileABackupHoldsTheRepository() async throws {
        let fixture = try await MaintenanceFixture.make()
        defer { fixture.remove() }
        _ = try await fixture.backup(TestImages.random(64 << 10, seed: 6))
        var other = LockOptions()
        other.host = "backup-host"
        let backupLock = try await fixture.repository.locks(other).acquire(.shared, purpose: "backup")
        let error = await #expect(throws: LockError.self) {
            try await fixture.repository.prune(options: MaintenanceFixture.pruneOptions())
        }
        #expect(error?.holders.first?.host == "backup-host")
        try await backupLock.release()
        _ = try await fixture.repository.prune(options: MaintenanceFixture.pruneOptions())
    }

    @Test func pruneConcurrentWithABackupLosesNothing() async throws {
        let fixture = try await MaintenanceFixture.make()
        defer { fixture.remove() }
        var image = TestImages.random(2 << 20, seed: 11)
        let base = try await fixture.backup(image)
        let old = try await fixture.backup(TestImages.random(1 << 20, seed: 12))
        _ = try await fixture.repository.forget([old])
        let changed = TestImages.mutate(&image, blocks: 40, seed: 13)
        let finalImage = image

        var waitingPrune = MaintenanceFixture.pruneOptions()
        waitingPrune.lockWait = .seconds(60)
        let options = waitingPrune
        var waitingLocks = LockOptions()
        waitingLocks.retryInterval = .milliseconds(20)
        let lockOptions = waitingLocks
        let repository = fixture.repository
        let newID = try await withThrowingTaskGroup(of: RestorePointID?.self) { group in
            group.addTask {
                var backupLock = lockOptions
                backupLock.waitTimeout = .seconds(60)
                let path = fixture.folder.url.appendingPathComponent("concurrent").path
                try finalImage.write(to: URL(fileURLWithPath: path))
                let source = try FileDiskSource(path: path)
                let result = try await repository.backup(
                    source: source,
                    options: BackupOptions(
                        parent: base,
                        changedRanges: changed,
                        concurrency: 4,
                        lockOptions: backupLock
                    )
                )
                return result.restorePoint.id
            }
            group.addTask {
                _ = try await repository.prune(options: options, lockOptions: lockOptions)
                return nil
            }
            var id: RestorePointID?
            for try await value in group where value != nil { id = value }
            return id
        }
        let id = try #require(newID)
        // Whichever ran first, a prune now must not break anything either.
        _ = try await repository.prune(options: MaintenanceFixture.pruneOptions())
        #expect(try await fixture.restored(id) == finalImage)
        #expect(try await fixture.restored(base) != finalImage)
        let verify = try await repository.verify(.full)
        #expect(verify.isHealthy)
        #expect(try await repository.locks().list().isEmpty)
    }

    @Test func leftoverPacksOfAnInterruptedBackupAreCollected() async throws {
        let fixture = try await MaintenanceFixture.make()
        defer { fixture.remove() }
        let a = try await fixture.backup(TestImages.random(128 << 10, seed: 21))
        // A pack no index lists, as an interrupted backup or prune leaves it.
        let packs = try await fixture.objects(prefix: "packs/")
        let someKey = try #require(packs.keys.sorted().first)
        let orphan = "packs/ee/" + String(repeating: "e", count: 64)
        try await fixture.store.put(orphan, contents: try await fixture.store.get(someKey))
        let report = try await fixture.repository.prune(options: MaintenanceFixture.pruneOptions())
        #expect(report.packsDeleted == 1)
        #expect(try await fixture.store.head(orphan) == nil)
        #expect(try await fixture.restored(a).count == 128 << 10)
    }

    @Test func pruneWithATinyMemoryBudgetUsesSeveralPassesAndGivesTheSameResult() async throws {
        let fixture = try await MaintenanceFixture.make()
        defer { fixture.remove() }
        var image = TestImages.random(3 << 20, seed: 31)
        let a = try await fixture.backup(image)
        let changed = TestImages.mutate(&image, blocks: 60, seed: 32)
        let b = try await fixture.backup(image, parent: a, changed: changed)
        _ = try await fixture.repository.forget([a])
        var options = MaintenanceFixture.pruneOptions(ratio: 0.9)
        options.markMemoryBudget = 4 << 10
        let report = try await fixture.repository.prune(options: options)
        #expect(report.markPasses > 1)
        #expect(report.packsRepacked + report.packsDeleted > 0)
        #expect(try await fixture.restored(b) == image)
        #expect(try await fixture.repository.verify(.full).isHealthy)
    }
}
