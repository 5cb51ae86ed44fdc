import Foundation
import Synchronization
import Testing

@testable import BackupRepository

@Suite struct BackupEdgeTests {
    @Test func grownDiskWithAParentIsReadInFullAndRestoresExactly() async throws {
        let folder = try TemporaryFolder()
        let repository = try await Fixtures.repository(in: folder)
        let path = folder.file("disk.img")
        let small = Images.make(.mixed, size: 700_000, seed: 2)
        try Fixtures.write(small, to: path)
        let parent = try await repository.backup(source: FileDiskSource(path: path)).restorePoint.id
        var grown = small
        grown.append(Images.make(.text, size: 300_001, seed: 4))
        try Fixtures.write(grown, to: path)
        let child = try await repository.backup(
            source: FileDiskSource(path: path),
            options: BackupOptions(parent: parent, changedRanges: [ByteRange(offset: 700_000, length: 300_001)])
        )
        #expect(child.statistics.bytesRead == Int64(grown.count))
        #expect(try await Fixtures.restoreBytes(repository, child.restorePoint.id, folder: folder) == grown)
        #expect(try await Fixtures.restoreBytes(repository, parent, folder: folder) == small)
    }

    @Test func progressIsReportedAndEndsWithTheFinalTotals() async throws {
        let folder = try TemporaryFolder()
        let repository = try await Fixtures.repository(in: folder)
        try Fixtures.write(Images.make(.mixed, size: 2_000_000, seed: 6), to: folder.file("disk.img"))
        let reports = Mutex<[BackupProgress]>([])
        let result = try await repository.backup(
            source: FileDiskSource(path: folder.file("disk.img")),
            options: BackupOptions(progress: { progress in reports.withLock { $0.append(progress) } })
        )
        let last = try #require(reports.withLock { $0.last })
        #expect(last == result.statistics)
        #expect(last.bytesRead == 2_000_000)
        #expect(last.blocksNew + last.blocksZero + last.blocksDeduplicated == 31)
    }

    @Test func streamRestoreDeliversTheWholeDiskInOrder() async throws {
        let folder = try TemporaryFolder()
        let repository = try await Fixtures.repository(in: folder)
        let image = Images.make(.mixed, size: 1_000_001, seed: 12)
        try Fixtures.write(image, to: folder.file("disk.img"))
        let id = try await repository.backup(source: FileDiskSource(path: folder.file("disk.img"))).restorePoint.id
        var streamed = Data()
        try await repository.restore(id) { streamed.append($0) }
        #expect(streamed == image)
        let outside = await #expect(throws: RepositoryError.self) {
            _ = try await repository.read(id, range: ByteRange(offset: 1_000_000, length: 2))
        }
        #expect(outside?.code == .invalidArgument)
    }
}
