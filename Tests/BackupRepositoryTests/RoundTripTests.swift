import Foundation
import Testing

@testable import BackupRepository

@Suite struct RoundTripTests {
    @Test(arguments: ImageKind.allCases, [0, 1, 65_536, 1_000_003])
    func imageRestoresByteExactly(kind: ImageKind, size: Int) async throws {
        let folder = try TemporaryFolder()
        let repository = try await Fixtures.repository(in: folder)
        let image = Images.make(kind, size: size, seed: UInt64(size) + 7)
        try Fixtures.write(image, to: folder.file("disk.img"))
        let result = try await repository.backup(source: FileDiskSource(path: folder.file("disk.img")))
        #expect(result.statistics.bytesRead == Int64(size))
        let restored = try await Fixtures.restoreBytes(repository, result.restorePoint.id, folder: folder)
        #expect(restored == image)
        if kind == .zero {
            #expect(result.statistics.bytesStored == 0)
            #expect(result.restorePoint.root == nil)
        }
    }

    @Test func unencryptedRepositoryRoundTrips() async throws {
        let folder = try TemporaryFolder()
        let repository = try await Fixtures.repository(in: folder, encrypted: false)
        let image = Images.make(.mixed, size: 800_000, seed: 3)
        try Fixtures.write(image, to: folder.file("disk.img"))
        let result = try await repository.backup(source: FileDiskSource(path: folder.file("disk.img")))
        let reopened = try await Repository.open(store: repository.store, password: nil)
        #expect(try await Fixtures.restoreBytes(reopened, result.restorePoint.id, folder: folder) == image)
    }

    @Test func rangeReadMatchesTheImage() async throws {
        let folder = try TemporaryFolder()
        let repository = try await Fixtures.repository(in: folder)
        let image = Images.make(.mixed, size: 1_500_000, seed: 11)
        try Fixtures.write(image, to: folder.file("disk.img"))
        let id = try await repository.backup(source: FileDiskSource(path: folder.file("disk.img"))).restorePoint.id
        for (offset, length) in [(0, 10), (65_530, 20), (100_000, 300_000), (1_499_990, 10), (5, 0)] {
            let bytes = try await repository.read(id, range: ByteRange(offset: Int64(offset), length: Int64(length)))
            #expect(bytes == image.subdata(in: offset..<offset + length))
        }
    }
}
