import Foundation
import Testing

@testable import BackupRepository

/// Index objects lost while their packs remain: verify reports it, prune never deletes what restore points
/// still reference, and a rebuild from the pack trailers restores a repository that verifies.
@Suite struct IndexLossTests {
    /// Two images backed up one after the other; returns the index objects the first backup wrote.
    func twoImages() async throws -> (MaintenanceFixture, [RestorePointID: Data], [String], RestorePointID) {
        let fixture = try await MaintenanceFixture.make()
        let first = TestImages.random(384 << 10, seed: 71)
        let second = TestImages.random(384 << 10, seed: 72)
        let a = try await fixture.backup(first, name: "a")
        let indexOfA = try await fixture.repository.listIndexObjects()
        let b = try await fixture.backup(second, name: "b")
        return (fixture, [a: first, b: second], indexOfA, a)
    }

    func expectRestores(_ fixture: MaintenanceFixture, _ images: [RestorePointID: Data]) async throws {
        for (id, image) in images { #expect(try await fixture.restored(id) == image, "\(id)") }
    }

    @Test func verifyReportsReferencedPacksNoIndexListsAndPruneKeepsThem() async throws {
        let (fixture, images, indexOfA, a) = try await twoImages()
        defer { fixture.remove() }
        for key in indexOfA { try await fixture.store.delete(key) }
        fixture.repository.invalidateIndexCache()
        let hinted = Set(try await RepositoryDamage.dataRefs(of: a, in: fixture).compactMap { $0.hint?.pack })

        let report = try await fixture.repository.verify(.full)
        #expect(report.damagedRestorePoints.isEmpty, "hints still reach every block")
        #expect(!report.isHealthy)
        let advice = report.repositoryProblems.filter { $0.reason.contains("`nimbus repo index rebuild`") }
        #expect(hinted.allSatisfy { pack in advice.contains { $0.object == pack.objectKey } })

        let pruned = try await fixture.repository.prune(options: MaintenanceFixture.pruneOptions())
        #expect(pruned.packsReindexed >= hinted.count)
        #expect(pruned.packsDeleted == 0 && pruned.packsRepacked == 0)
        for pack in hinted { #expect(try await fixture.store.head(pack.objectKey) != nil) }
        try await expectRestores(fixture, images)
        #expect(try await fixture.repository.verify(.full).isHealthy, "prune indexed the packs again")

        let again = try await fixture.repository.prune(options: MaintenanceFixture.pruneOptions())
        #expect(again.packsReindexed == 0 && again.packsDeleted == 0)
        try await expectRestores(fixture, images)
    }

    @Test func aDryRunKeepsUnindexedReferencedPacksAndWritesNothing() async throws {
        let (fixture, images, indexOfA, _) = try await twoImages()
        defer { fixture.remove() }
        for key in indexOfA { try await fixture.store.delete(key) }
        let before = try await fixture.objects()
        var options = MaintenanceFixture.pruneOptions()
        options.dryRun = true
        let report = try await fixture.repository.prune(options: options)
        #expect(report.packsReindexed > 0 && report.packsDeleted == 0)
        #expect(try await fixture.objects() == before)
        try await expectRestores(fixture, images)
    }

    @Test func rebuildingAfterEveryIndexObjectIsLostRestoresAVerifiedRepository() async throws {
        let (fixture, images, _, a) = try await twoImages()
        defer { fixture.remove() }
        var all = images
        var third = images[a] ?? Data()
        let changed = TestImages.mutate(&third, blocks: 12, seed: 73)
        all[try await fixture.backup(third, parent: a, changed: changed, name: "c")] = third
        let packs = try await fixture.repository.listPacks()
        for key in try await fixture.repository.listIndexObjects() { try await fixture.store.delete(key) }
        fixture.repository.invalidateIndexCache()

        let refused = await #expect(throws: RepositoryError.self) {
            _ = try await fixture.repository.prune(options: MaintenanceFixture.pruneOptions())
        }
        #expect(refused?.message.contains("`nimbus repo index rebuild`") == true)

        let rebuilt = try await fixture.repository.rebuildIndex()
        #expect(rebuilt.packsRead == packs.count && rebuilt.indexObjectsWritten > 0)
        #expect(rebuilt.indexObjectsDeleted == 0 && rebuilt.unreadablePacks.isEmpty)
        let report = try await fixture.repository.verify(.full)
        #expect(report.isHealthy, "\(report.repositoryProblems)")
        try await expectRestores(fixture, all)

        let twice = try await fixture.repository.rebuildIndex()
        #expect(twice.indexObjectsDeleted == rebuilt.indexObjectsWritten)
        #expect(twice.blocksIndexed == rebuilt.blocksIndexed)
        #expect(try await fixture.repository.verify(.full).isHealthy)
    }

    @Test func aPackWithADamagedTrailerKeepsItsOldIndexEntries() async throws {
        let (fixture, images, _, a) = try await twoImages()
        defer { fixture.remove() }
        let pack = try #require(try await RepositoryDamage.dataRefs(of: a, in: fixture).first?.hint?.pack)
        let size = try #require(try await fixture.store.head(pack.objectKey)).size
        try RepositoryDamage.flip(fixture, pack.objectKey, at: Int(size) - 20)
        let rebuilt = try await fixture.repository.rebuildIndex()
        #expect(rebuilt.unreadablePacks == [pack.objectKey])
        #expect(try await RepositoryDamage.indexObjects(naming: pack, in: fixture).count == 1)
        try await expectRestores(fixture, images)
        let report = try await fixture.repository.verify(.full)
        #expect(report.damagedRestorePoints.isEmpty)
        #expect(report.repositoryProblems.contains { $0.object == pack.objectKey && $0.reason.contains("trailer") })
    }
}
