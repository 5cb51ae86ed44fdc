import Foundation
import Testing

@testable import BackupRepository

@Suite struct VerifyTests {
    /// Two restore points with no block in common, so damage to one's data packs spares the other.
    func twoPoints() async throws -> (MaintenanceFixture, RestorePointID, RestorePointID) {
        let fixture = try await MaintenanceFixture.make()
        let a = try await fixture.backup(TestImages.random(256 << 10, seed: 41), name: "a")
        let packsOfA = Set(try await fixture.objects(prefix: "packs/").keys)
        let b = try await fixture.backup(TestImages.random(256 << 10, seed: 42), name: "b")
        let packsOfB = Set(try await fixture.objects(prefix: "packs/").keys).subtracting(packsOfA)
        #expect(!packsOfB.isEmpty)
        return (fixture, a, b)
    }

    /// The data packs that hold blocks of exactly one restore point (found through the index).
    func dataPack(of id: RestorePointID, in fixture: MaintenanceFixture) async throws -> (String, PackEntry) {
        let point = try await fixture.repository.restorePoint(id)
        var blocks: Set<BlockID> = []
        var visited: Set<BlockID> = []
        try await fixture.repository.walkTree(of: point, visited: &visited) { ref, isNode in
            if !isNode { blocks.insert(ref.id) }
        }
        let index = try await fixture.repository.loadIndex()
        let location = try #require(blocks.sorted().compactMap { index[$0] }.first)
        return (location.pack.objectKey, location.entry)
    }

    func path(_ fixture: MaintenanceFixture, _ key: String) -> String {
        fixture.store.root + "/" + key
    }

    @Test func aHealthyRepositoryPassesBothModes() async throws {
        let (fixture, a, b) = try await twoPoints()
        defer { fixture.remove() }
        for mode in [VerifyReport.Mode.quick, .full] {
            let report = try await fixture.repository.verify(mode)
            #expect(report.isHealthy, "\(mode): \(report.repositoryProblems)")
            #expect(Set(report.restorePoints.map(\.id)) == [a.hex, b.hex])
            #expect(report.restorePoints.allSatisfy { $0.isIntact && $0.problems.isEmpty })
            #expect(report.packsChecked > 0 && report.blocksChecked > 0)
            if mode == .full { #expect(report.bytesRead > 0) }
        }
    }

    @Test func aFlippedByteIsFoundByFullVerifyAndNamesThePackAndBlock() async throws {
        let (fixture, a, b) = try await twoPoints()
        defer { fixture.remove() }
        let (packKey, entry) = try await dataPack(of: a, in: fixture)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path(fixture, packKey)))
        bytes[Int(entry.offset) + 5] ^= 0x40
        try bytes.write(to: URL(fileURLWithPath: path(fixture, packKey)))

        let quick = try await fixture.repository.verify(.quick)
        #expect(quick.isHealthy, "sizes are unchanged, so a quick check cannot see it")

        let full = try await fixture.repository.verify(.full)
        #expect(!full.isHealthy)
        #expect(full.damagedRestorePoints == [a.hex])
        let damaged = try #require(full.restorePoints.first { $0.id == a.hex })
        #expect(damaged.problems.contains { $0.object == packKey && $0.block == entry.id.hex })
        #expect(damaged.problems.first?.reason.contains("authentication") == true)
        #expect(full.restorePoints.first { $0.id == b.hex }?.isIntact == true)
    }

    @Test func aMissingPackIsFoundByQuickVerify() async throws {
        let (fixture, a, b) = try await twoPoints()
        defer { fixture.remove() }
        let (packKey, _) = try await dataPack(of: b, in: fixture)
        try FileManager.default.removeItem(atPath: path(fixture, packKey))
        let report = try await fixture.repository.verify(.quick)
        #expect(report.damagedRestorePoints == [b.hex])
        let problems = try #require(report.restorePoints.first { $0.id == b.hex }).problems
        #expect(problems.allSatisfy { $0.object == packKey })
        #expect(problems.first?.reason == "the pack is missing")
        #expect(report.repositoryProblems.contains { $0.object == packKey })
        #expect(report.restorePoints.first { $0.id == a.hex }?.isIntact == true)
    }

    @Test func aTruncatedPackIsFoundByQuickVerify() async throws {
        let (fixture, a, _) = try await twoPoints()
        defer { fixture.remove() }
        let (packKey, _) = try await dataPack(of: a, in: fixture)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path(fixture, packKey)))
        try handle.truncate(atOffset: 100)
        try handle.close()
        let report = try await fixture.repository.verify(.quick)
        #expect(report.damagedRestorePoints == [a.hex])
        let problem = try #require(report.restorePoints.first { $0.id == a.hex }?.problems.first)
        #expect(problem.object == packKey && problem.reason.contains("truncated"))
    }

    @Test func aDamagedRestorePointObjectIsNamed() async throws {
        let (fixture, a, b) = try await twoPoints()
        defer { fixture.remove() }
        let file = URL(fileURLWithPath: path(fixture, a.objectKey))
        var bytes = try Data(contentsOf: file)
        bytes[bytes.count / 2] ^= 1
        try bytes.write(to: file)
        let report = try await fixture.repository.verify(.quick)
        #expect(report.damagedRestorePoints == [a.hex])
        let problem = try #require(report.restorePoints.first { $0.id == a.hex }?.problems.first)
        #expect(problem.object == a.objectKey && problem.block == nil)
        #expect(report.restorePoints.first { $0.id == b.hex }?.isIntact == true)
    }

    @Test func theReportRoundTripsThroughJSON() async throws {
        let (fixture, a, _) = try await twoPoints()
        defer { fixture.remove() }
        let (packKey, _) = try await dataPack(of: a, in: fixture)
        try FileManager.default.removeItem(atPath: path(fixture, packKey))
        let report = try await fixture.repository.verify(.quick)
        let json = try JSONEncoder().encode(report)
        #expect(try JSONDecoder().decode(VerifyReport.self, from: json) == report)
        let text = String(decoding: json, as: UTF8.self)
        #expect(text.contains(packKey.replacingOccurrences(of: "/", with: "\\/")))
    }

    @Test func aDamagedPackHeaderIsFoundByFullVerify() async throws {
        let (fixture, a, _) = try await twoPoints()
        defer { fixture.remove() }
        let (packKey, _) = try await dataPack(of: a, in: fixture)
        try RepositoryDamage.flip(fixture, packKey, at: 2)
        #expect(try await fixture.repository.verify(.quick).isHealthy, "sizes are unchanged")
        let full = try await fixture.repository.verify(.full)
        #expect(!full.isHealthy)
        #expect(full.repositoryProblems.contains { $0.object == packKey && $0.reason.contains("header") })
        #expect(full.damagedRestorePoints.isEmpty, "restores never read the header")
        #expect(try await fixture.restored(a).count == 256 << 10)
    }

    /// A lost index object plus a flipped block in a pack that only hints reach: verify and restore agree.
    @Test func aFlippedBlockInAPackOnlyHintsReachIsFound() async throws {
        let (fixture, a, b) = try await twoPoints()
        defer { fixture.remove() }
        let ref = try #require(try await RepositoryDamage.dataRefs(of: a, in: fixture).first)
        let hint = try #require(ref.hint)
        for key in try await RepositoryDamage.indexObjects(naming: hint.pack, in: fixture) {
            try await fixture.store.delete(key)
        }
        try RepositoryDamage.flip(fixture, hint.pack.objectKey, at: Int(hint.entry.offset) + 3)
        fixture.repository.invalidateIndexCache()

        let error = await #expect(throws: RepositoryError.self) { _ = try await fixture.restored(a) }
        #expect(error?.code == .damagedObject)
        for budget in [256 << 20, 1 << 10] {
            let full = try await fixture.repository.verify(.full, memoryBudget: budget)
            #expect(full.damagedRestorePoints == [a.hex], "budget \(budget)")
            let problems = try #require(full.restorePoints.first { $0.id == a.hex }).problems
            #expect(problems.contains { $0.object == hint.pack.objectKey && $0.block == ref.id.hex })
            #expect(full.restorePoints.first { $0.id == b.hex }?.isIntact == true)
            #expect(try await fixture.restored(b).count == 256 << 10)
            if budget < 1 << 20 { #expect(full.passes > 2) }
        }
    }

    @Test func aTinyMemoryBudgetGivesTheSameReportInMorePasses() async throws {
        let (fixture, a, _) = try await twoPoints()
        defer { fixture.remove() }
        let (packKey, entry) = try await dataPack(of: a, in: fixture)
        try RepositoryDamage.flip(fixture, packKey, at: Int(entry.offset) + 9)
        let roomy = try await fixture.repository.verify(.full)
        let tight = try await fixture.repository.verify(.full, memoryBudget: 2 << 10)
        #expect(roomy.passes == 2, "one pass over the packs, one over the references")
        #expect(tight.passes > roomy.passes)
        #expect(tight.damagedRestorePoints == roomy.damagedRestorePoints)
        #expect(Set(tight.repositoryProblems) == Set(roomy.repositoryProblems))
        #expect(tight.restorePoints.map { Set($0.problems) } == roomy.restorePoints.map { Set($0.problems) })
        #expect(tight.blocksChecked == roomy.blocksChecked && tight.bytesRead == roomy.bytesRead)
    }
}
