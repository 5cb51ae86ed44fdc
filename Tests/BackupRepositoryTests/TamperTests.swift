import Foundation
import Testing

@testable import BackupRepository

@Suite struct TamperTests {
    /// A repository with one restore point of a mixed image, and its packs' files.
    static func prepared() async throws -> (TemporaryFolder, Repository, RestorePointID, [String]) {
        let folder = try TemporaryFolder()
        let repository = try await Fixtures.repository(in: folder)
        try Fixtures.write(Images.make(.mixed, size: 1_200_000, seed: 9), to: folder.file("disk.img"))
        let id = try await repository.backup(source: FileDiskSource(path: folder.file("disk.img"))).restorePoint.id
        let packs = try await repository.listPacks().map(\.objectKey)
        return (folder, repository, id, packs)
    }

    static func restoreError(_ repository: Repository, _ id: RestorePointID, _ folder: TemporaryFolder) async
        -> RepositoryError?
    {
        await #expect(throws: RepositoryError.self) {
            try await repository.restore(id, toFile: folder.file("out.img"))
        }
    }

    @Test func flippedByteInAPackIsNamed() async throws {
        let (folder, repository, id, packs) = try await Self.prepared()
        for key in packs {
            let path = folder.file("repo/" + key)
            var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            bytes[40] ^= 0x01
            try bytes.write(to: URL(fileURLWithPath: path))
        }
        let error = await Self.restoreError(repository, id, folder)
        #expect(error?.code == .damagedObject)
        #expect(packs.contains(error?.objectKey ?? ""))
        #expect(error?.description.contains(error?.objectKey ?? "-") == true)
    }

    @Test func truncatedPackIsNamed() async throws {
        let (folder, repository, id, packs) = try await Self.prepared()
        for key in packs {
            let path = folder.file("repo/" + key)
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            try bytes.prefix(bytes.count / 3).write(to: URL(fileURLWithPath: path))
        }
        let error = await Self.restoreError(repository, id, folder)
        #expect(error?.code == .damagedObject)
        #expect(packs.contains(error?.objectKey ?? ""))
        for pack in try await repository.listPacks() {
            let trailerError = await #expect(throws: RepositoryError.self) {
                _ = try await repository.readPackTrailer(pack)
            }
            #expect(trailerError?.objectKey == pack.objectKey)
        }
    }

    @Test func deletedPackIsNamed() async throws {
        let (folder, repository, id, packs) = try await Self.prepared()
        for key in packs { try FileManager.default.removeItem(atPath: folder.file("repo/" + key)) }
        let error = await Self.restoreError(repository, id, folder)
        #expect(error?.code == .missingObject)
        #expect(packs.contains(error?.objectKey ?? ""))
    }

    @Test func alteredRestorePointIsNamed() async throws {
        let (folder, repository, id, _) = try await Self.prepared()
        let path = folder.file("repo/" + id.objectKey)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[bytes.count / 2] ^= 0x80
        try bytes.write(to: URL(fileURLWithPath: path))
        let error = await #expect(throws: RepositoryError.self) { _ = try await repository.restorePoint(id) }
        #expect(error?.code == .damagedObject)
        #expect(error?.objectKey == id.objectKey)
    }

    @Test func indexCanBeRebuiltFromPacksAlone() async throws {
        let (folder, repository, id, _) = try await Self.prepared()
        let before = try await repository.loadIndex()
        for key in try await repository.listIndexObjects() { try await repository.store.delete(key) }
        let report = try await repository.rebuildIndex()
        #expect(report.blocksIndexed == before.count)
        #expect(report.indexObjectsDeleted == 0 && report.unreadablePacks.isEmpty)
        #expect(try await repository.loadIndex() == before)
        #expect(
            try await Fixtures.restoreBytes(repository, id, folder: folder)
                == Images.make(.mixed, size: 1_200_000, seed: 9)
        )
    }
}

/// Which copy of a block a restore reads when it has several, and that verify judges by the same rule.
@Suite struct CopyChoiceTests {
    @Test func aDamagedHintedCopyGivesWayToAnIntactIndexedCopy() async throws {
        let fixture = try await MaintenanceFixture.make()
        defer { fixture.remove() }
        let image = TestImages.random(256 << 10, seed: 61)
        let first = try await fixture.backup(image, name: "first")
        // A second backup that deduplicates nothing stores a second copy of every block, in other packs.
        let second = try await fixture.backup(image, name: "second", dedupCapacity: 0)
        let hinted = try #require(try await RepositoryDamage.dataRefs(of: first, in: fixture).first?.hint)
        let copies = try await fixture.repository.indexedCopies(of: hinted.entry.id)
        #expect(copies.count == 2)
        #expect(copies.contains { $0.pack != hinted.pack })
        try RepositoryDamage.flip(fixture, hinted.pack.objectKey, at: Int(hinted.entry.offset) + 7)
        fixture.repository.invalidateIndexCache()

        #expect(try await fixture.restored(first) == image, "the intact copy in the other pack is used")
        #expect(try await fixture.restored(second) == image)
        let report = try await fixture.repository.verify(.full)
        #expect(report.damagedRestorePoints.isEmpty, "\(report.restorePoints)")
        #expect(
            report.repositoryProblems.contains {
                $0.object == hinted.pack.objectKey && $0.block == hinted.entry.id.hex
            },
            "the damaged copy itself is still reported"
        )
    }

    @Test func aBlockWithEveryCopyDamagedFailsBothRestoreAndVerify() async throws {
        let fixture = try await MaintenanceFixture.make()
        defer { fixture.remove() }
        let image = TestImages.random(256 << 10, seed: 62)
        let first = try await fixture.backup(image, name: "first")
        _ = try await fixture.backup(image, name: "second", dedupCapacity: 0)
        let hinted = try #require(try await RepositoryDamage.dataRefs(of: first, in: fixture).first?.hint)
        for copy in try await fixture.repository.indexedCopies(of: hinted.entry.id) {
            try RepositoryDamage.flip(fixture, copy.pack.objectKey, at: Int(copy.entry.offset) + 7)
        }
        let error = await #expect(throws: RepositoryError.self) { _ = try await fixture.restored(first) }
        #expect(error?.code == .damagedObject)
        let report = try await fixture.repository.verify(.full)
        #expect(report.damagedRestorePoints.count == 2)
        let problem = try #require(report.restorePoints.first { $0.id == first.hex }?.problems.first)
        #expect(problem.block == hinted.entry.id.hex)
    }
}
