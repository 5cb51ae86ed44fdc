import Foundation
import PropertyBased
import Testing

@testable import BackupRepository

@Suite struct PropertyTests {
    @Test func randomChangeListsRestoreExactly() async throws {
        await propertyCheck(
            count: 12,
            input: Gen.int(in: 0...1_199_999).array(of: 0...6),
            Gen.int(in: 1...90_000).array(of: 0...6)
        ) { offsets, lengths in
            let folder = try TemporaryFolder()
            let repository = try await Fixtures.repository(in: folder)
            let path = folder.file("disk.img")
            var image = Images.make(.mixed, size: 1_200_000, seed: 41)
            try Fixtures.write(image, to: path)
            let parent = try await repository.backup(source: FileDiskSource(path: path)).restorePoint.id
            var generator = SeededGenerator(seed: UInt64(offsets.count * 31 + lengths.count))
            var ranges: [ByteRange] = []
            for (offset, length) in zip(offsets, lengths) {
                let end = min(offset + length, image.count)
                image.replaceSubrange(offset..<end, with: Images.randomBytes(end - offset, &generator))
                ranges.append(ByteRange(offset: Int64(offset), length: Int64(end - offset)))
            }
            try Fixtures.write(image, to: path)
            let child = try await repository.backup(
                source: FileDiskSource(path: path),
                options: BackupOptions(parent: parent, changedRanges: ranges)
            )
            #expect(try await Fixtures.restoreBytes(repository, child.restorePoint.id, folder: folder) == image)
        }
    }

    @Test func byteRangeBlockIntervalsCoverExactlyTheTouchedBlocks() async {
        await propertyCheck(
            count: 200,
            input: Gen.int(in: 0...100_000).array(of: 0...8),
            Gen.int(in: 0...20_000).array(of: 0...8)
        ) { offsets, lengths in
            let ranges = zip(offsets, lengths).map { ByteRange(offset: Int64($0), length: Int64($1)) }
            let intervals = ranges.blockIntervals(blockSize: 4096, blockCount: 30)
            var expected = Set<Int64>()
            for range in ranges where range.length > 0 {
                for block in range.offset / 4096...(range.end - 1) / 4096 where block < 30 { expected.insert(block) }
            }
            let produced = intervals.flatMap { Array($0) }
            #expect(Set(produced) == expected)
            #expect(produced == produced.sorted())
            #expect(Set(produced).count == produced.count)
        }
    }
}
