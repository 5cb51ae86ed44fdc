import Foundation
import Testing

@testable import BackupRepository

/// A disk source that fails once a read reaches `failAt`, as a worker killed mid-backup would stop.
struct FailingSource: DiskSource {
    let inner: FileDiskSource
    let failAt: Int64
    var size: Int64 { inner.size }

    func read(at offset: Int64, length: Int) async throws -> Data {
        if offset >= failAt { throw RepositoryError(.sourceFailure, "simulated failure at \(offset)") }
        return try await inner.read(at: offset, length: length)
    }
}

@Suite struct RerunTests {
    @Test func interruptedBackupLeavesNoRestorePointAndTheRerunReusesItsPacks() async throws {
        let folder = try TemporaryFolder()
        let repository = try await Fixtures.repository(in: folder)
        let path = folder.file("disk.img")
        var generator = SeededGenerator(seed: 8)
        let image = Images.randomBytes(40 << 20, &generator)
        try Fixtures.write(image, to: path)
        await #expect(throws: RepositoryError.self) {
            _ = try await repository.backup(
                source: FailingSource(inner: try FileDiskSource(path: path), failAt: 36 << 20)
            )
        }
        #expect(try await repository.listRestorePoints().isEmpty)
        #expect(try await !repository.listIndexObjects().isEmpty)
        let rerun = try await repository.backup(source: FileDiskSource(path: path))
        // At least the 32 packs indexed before the failure (15 blocks each) are reused.
        #expect(rerun.statistics.blocksDeduplicated >= 32 * 15)
        #expect(rerun.statistics.blocksNew + rerun.statistics.blocksDeduplicated == 640)
        #expect(try await Fixtures.restoreBytes(repository, rerun.restorePoint.id, folder: folder) == image)
    }

    @Test func deduplicatedDiskRestoresFromLocationHintsWithoutTheIndex() async throws {
        let folder = try TemporaryFolder()
        let repository = try await Fixtures.repository(in: folder)
        let image = Images.make(.mixed, size: 3_000_000, seed: 13)
        try Fixtures.write(image, to: folder.file("a.img"))
        try Fixtures.write(image, to: folder.file("b.img"))
        _ = try await repository.backup(source: FileDiskSource(path: folder.file("a.img")))
        let second = try await repository.backup(source: FileDiskSource(path: folder.file("b.img")))
        #expect(second.statistics.blocksNew == 0)
        for key in try await repository.listIndexObjects() { try await repository.store.delete(key) }
        let reopened = try await Repository.open(store: repository.store, password: Fixtures.password)
        #expect(try await Fixtures.restoreBytes(reopened, second.restorePoint.id, folder: folder) == image)
    }
}
