import Foundation
import Testing

@testable import BackupRepository

@Suite struct ChangedRangesTests {
    private func parse(_ text: String, diskSize: Int64? = nil) throws -> ChangedRanges {
        try ChangedRanges(parsing: Data(text.utf8), diskSize: diskSize)
    }

    @Test func rangesAreSortedMergedAndRoundTrip() throws {
        let ranges = try parse("[[8192,4096],[0,100],[50,100],[150,10],[9000,0],[4096,4096]]")
        #expect(ranges.ranges == [ByteRange(offset: 0, length: 160), ByteRange(offset: 4096, length: 8192)])
        #expect(ranges.byteCount == 160 + 8192)
        #expect(try ChangedRanges(parsing: ranges.encoded()) == ranges)
    }

    @Test(arguments: [
        "[[-1,10]]", "[[0,-10]]", "[[0,9223372036854775807],[1,9223372036854775807]]",
        "[[9223372036854775000,9223372036854775000]]", "[[0,9223372036854775808]]", "[[0]]", "[[0,1,2]]",
        "[[0.5,1]]", "{\"a\":1}", "[[\"0\",1]]", "not json",
    ])
    func malformedOrOutOfRangeEntriesAreClearErrors(text: String) {
        let error = #expect(throws: RepositoryError.self) { try parse(text) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.contains("changed") == true)
    }

    @Test func entriesNearTwoToTheSixtyThirdAreCheckedAgainstTheDisk() throws {
        // The largest representable range is well formed, but not inside a disk.
        let huge = try parse("[[0,9223372036854775807]]")
        #expect(huge.ranges == [ByteRange(offset: 0, length: Int64.max)])
        let nearEnd = "[[9223372036854775000,807]]"
        #expect(try parse(nearEnd).ranges.first?.end == Int64.max)
        for text in ["[[0,9223372036854775807]]", nearEnd, "[[1048576,1]]"] {
            let error = #expect(throws: RepositoryError.self) { try parse(text, diskSize: 1 << 20) }
            #expect(error?.message.contains("past the end of the disk") == true)
        }
        #expect(try parse("[[1048575,1]]", diskSize: 1 << 20).byteCount == 1)
    }

    @Test func blockIntervalsNeverTrap() {
        let blockSize = 256 * 1024
        let ranges = [
            ByteRange(offset: 0, length: Int64.max),
            ByteRange(offset: Int64.max - 10, length: 10),
            ByteRange(offset: Int64.max, length: Int64.max),
            ByteRange(offset: -5, length: 10),
            ByteRange(offset: 10, length: -5),
        ]
        #expect(ranges.blockIntervals(blockSize: blockSize, blockCount: 4) == [0..<4])
        let tail = [ByteRange(offset: Int64.max - 10, length: 10)]
        #expect(tail.blockIntervals(blockSize: blockSize, blockCount: Int64.max / Int64(blockSize) + 1).count == 1)
        #expect([ByteRange(offset: 10, length: -5)].blockIntervals(blockSize: blockSize, blockCount: 4).isEmpty)
    }

    @Test func aBackupRefusesRangesPastTheDisk() async throws {
        let folder = try TemporaryFolder()
        let repository = try await Fixtures.repository(in: folder)
        let path = folder.file("disk.img")
        try Fixtures.write(Images.make(.text, size: 200_000, seed: 4), to: path)
        let parent = try await repository.backup(source: FileDiskSource(path: path)).restorePoint.id
        for ranges in [[ByteRange(offset: 0, length: Int64.max)], [ByteRange(offset: -1, length: 4)]] {
            let error = await #expect(throws: RepositoryError.self) {
                _ = try await repository.backup(
                    source: FileDiskSource(path: path),
                    options: BackupOptions(parent: parent, changedRanges: ranges)
                )
            }
            #expect(error?.code == .invalidArgument)
        }
        #expect(try await repository.listRestorePoints().count == 1)
    }
}
