import Foundation
import Testing

@testable import BackupRepository

@Suite struct IncrementalTests {
    /// Applies random writes to `image` and returns the ranges written.
    static func mutate(_ image: inout Data, writes: Int, seed: UInt64) -> [ByteRange] {
        var generator = SeededGenerator(seed: seed)
        var ranges: [ByteRange] = []
        for _ in 0..<writes {
            let length = Int.random(in: 1...40_000, using: &generator)
            let offset = Int.random(in: 0...(image.count - length), using: &generator)
            let bytes =
                generator.next() % 4 == 0
                ? Data(count: length) : Images.randomBytes(length, &generator)
            image.replaceSubrange(offset..<offset + length, with: bytes)
            ranges.append(ByteRange(offset: Int64(offset), length: Int64(length)))
        }
        return ranges
    }

    @Test func chainOfIncrementalsRestoresEveryPointExactly() async throws {
        let folder = try TemporaryFolder()
        let repository = try await Fixtures.repository(in: folder)
        let path = folder.file("disk.img")
        var image = Images.make(.mixed, size: 3_000_017, seed: 5)
        try Fixtures.write(image, to: path)
        var previous = try await repository.backup(source: FileDiskSource(path: path)).restorePoint.id
        var expected: [(RestorePointID, Data)] = [(previous, image)]
        for step in 0..<4 {
            let ranges = Self.mutate(&image, writes: 6, seed: UInt64(step) + 100)
            try Fixtures.write(image, to: path)
            let result = try await repository.backup(
                source: FileDiskSource(path: path),
                options: BackupOptions(parent: previous, changedRanges: ranges)
            )
            let touchedBlocks = ranges.blockIntervals(blockSize: 65_536, blockCount: 46).reduce(0) { $0 + $1.count }
            #expect(result.statistics.bytesRead <= Int64(touchedBlocks) * 65_536)
            #expect(result.restorePoint.parent == previous)
            previous = result.restorePoint.id
            expected.append((previous, image))
        }
        for (id, bytes) in expected {
            #expect(try await Fixtures.restoreBytes(repository, id, folder: folder) == bytes)
        }
        #expect(try await repository.listRestorePoints().map(\.id).sorted() == expected.map(\.0).sorted())
    }

    @Test func unchangedBackupWithEmptyRangesReusesTheParentTree() async throws {
        let folder = try TemporaryFolder()
        let repository = try await Fixtures.repository(in: folder)
        let path = folder.file("disk.img")
        try Fixtures.write(Images.make(.random, size: 2_000_000), to: path)
        let first = try await repository.backup(source: FileDiskSource(path: path))
        let second = try await repository.backup(
            source: FileDiskSource(path: path),
            options: BackupOptions(parent: first.restorePoint.id, changedRanges: [])
        )
        #expect(second.statistics.bytesRead == 0)
        #expect(second.statistics.bytesStored == 0)
        #expect(second.restorePoint.root == first.restorePoint.root)
    }

    @Test func dedupAcrossTwoDisksStoresAlmostNothing() async throws {
        let folder = try TemporaryFolder()
        let repository = try await Fixtures.repository(in: folder)
        let image = Images.make(.mixed, size: 4_000_000, seed: 21)
        try Fixtures.write(image, to: folder.file("a.img"))
        try Fixtures.write(image, to: folder.file("b.img"))
        let first = try await repository.backup(source: FileDiskSource(path: folder.file("a.img")))
        let second = try await repository.backup(source: FileDiskSource(path: folder.file("b.img")))
        #expect(first.statistics.blocksNew > 0)
        #expect(second.statistics.blocksNew == 0)
        #expect(second.statistics.bytesStored == 0)
        #expect(
            second.statistics.blocksDeduplicated == first.statistics.blocksNew + first.statistics.blocksDeduplicated
        )
        #expect(try await Fixtures.restoreBytes(repository, second.restorePoint.id, folder: folder) == image)
    }

    @Test func metadataIsStoredWithTheRestorePoint() async throws {
        let folder = try TemporaryFolder()
        let repository = try await Fixtures.repository(in: folder)
        try Fixtures.write(Images.make(.text, size: 10_000), to: folder.file("disk.img"))
        let metadata = Data(#"{"vm":"web-1","tags":["prod"]}"#.utf8)
        let id = try await repository.backup(
            source: FileDiskSource(path: folder.file("disk.img")),
            options: BackupOptions(metadata: metadata)
        ).restorePoint.id
        let reopened = try await Repository.open(store: repository.store, password: Fixtures.password)
        #expect(try await reopened.restorePoint(id).metadata == metadata)
        #expect(try await reopened.restorePoint(matching: String(id.hex.prefix(8))).id == id)
    }
}
