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
        let count = try await repository.rebuildIndex()
        repository.invalidateIndexCache()
        #expect(count == before.count)
        #expect(try await repository.loadIndex() == before)
        #expect(
            try await Fixtures.restoreBytes(repository, id, folder: folder)
                == Images.make(.mixed, size: 1_200_000, seed: 9)
        )
    }
}
