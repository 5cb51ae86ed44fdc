import Foundation
import Testing

@testable import BackupRepository

#if canImport(Glibc)
import Glibc
#endif

@Suite struct SparseDiskTests {
    static let tebibyte: Int64 = 1 << 40

    static func write(_ data: Data, at offset: Int64, path: String) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(offset))
        try handle.write(contentsOf: data)
    }

    @Test func twoTebibyteDiskWithTenMebibytesChangedIsASmallBackup() async throws {
        let folder = try TemporaryFolder()
        let repository = try await Fixtures.repository(in: folder)
        let path = folder.file("disk.img")
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        guard truncate(path, off_t(2 * Self.tebibyte)) == 0 else {
            Issue.record("the file system cannot hold a sparse 2 TiB file")
            return
        }
        var generator = SeededGenerator(seed: 77)
        // Initial contents: 4 MiB at the start and 2 MiB at 1 TiB.
        let initial = [
            ByteRange(offset: 0, length: 4 << 20), ByteRange(offset: Self.tebibyte, length: 2 << 20),
        ]
        for range in initial {
            try Self.write(Images.randomBytes(Int(range.length), &generator), at: range.offset, path: path)
        }
        let first = try await repository.backup(
            source: FileDiskSource(path: path),
            options: BackupOptions(allocatedRanges: initial)
        )
        #expect(first.statistics.bytesRead == 6 << 20)

        // About 10 MiB of changes: 40 writes of 256 KiB scattered over the whole disk.
        var changes: [ByteRange] = []
        for index in 0..<40 {
            let offset = Int64(index) * (2 * Self.tebibyte / 40) + Int64(index) * 4096
            changes.append(ByteRange(offset: offset, length: 256 << 10))
        }
        for range in changes {
            try Self.write(Images.randomBytes(Int(range.length), &generator), at: range.offset, path: path)
        }
        let second = try await repository.backup(
            source: FileDiskSource(path: path),
            options: BackupOptions(parent: first.restorePoint.id, changedRanges: changes)
        )
        let statistics = second.statistics
        // Each unaligned 256 KiB write touches at most five 64 KiB blocks.
        #expect(statistics.bytesRead <= 40 * 5 * 65_536)
        #expect(statistics.bytesRead >= 10 << 20)
        #expect(statistics.blocksSkipped > 30_000_000)
        // Metadata: 40 paths of at most 7 small nodes, the index and the restore point.
        #expect(statistics.metadataBytesWritten < 1 << 20)

        // Spot-check the restored view: changed, inherited and zero regions.
        let id = second.restorePoint.id
        let source = try FileDiskSource(path: path)
        for range in changes.prefix(5) + initial + [ByteRange(offset: 3 * Self.tebibyte / 2, length: 100_000)] {
            let restored = try await repository.read(id, range: range)
            #expect(try await restored == source.read(at: range.offset, length: Int(range.length)))
        }
        let restoredOld = try await repository.read(first.restorePoint.id, range: changes[3])
        #expect(restoredOld == Data(count: Int(changes[3].length)))
    }
}
