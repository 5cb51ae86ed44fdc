import Foundation
import Testing

@testable import BackupRepository

#if canImport(Glibc)
import Glibc
#endif

/// The I/O thread pool, the disk source and the restore writer against real files.
@Suite struct FileIOTests {
    @Test func aPoolRunsWorkOnItsThreadsAndRefusesWorkAfterShutdown() async throws {
        let pool = FileIOPool(threadCount: 2)
        #expect(pool.threadCount == 2)
        let results = try await withThrowingTaskGroup(of: Int.self) { group in
            for value in 0..<16 { group.addTask { try await pool.run { value * 2 } } }
            return try await group.reduce(0, +)
        }
        #expect(results == 240)
        try await pool.shutdown()
        let error = await #expect(throws: RepositoryError.self) { try await pool.run { 1 } }
        #expect(error?.code == .io)
    }

    @Test func aDiskSourceRefusesAFolderAMissingFileAndReadsOutsideIt() async throws {
        let folder = try TemporaryFolder()
        let missing = #expect(throws: RepositoryError.self) { try FileDiskSource(path: folder.file("none.img")) }
        #expect(missing?.code == .fileNotFound)
        let directory = #expect(throws: RepositoryError.self) { try FileDiskSource(path: folder.path) }
        #expect(directory?.code == .sourceFailure)
        #expect(directory?.message.contains("is a folder") == true)

        let bytes = Data((0..<10_000).map { UInt8($0 % 251) })
        try Fixtures.write(bytes, to: folder.file("disk.img"))
        let source = try FileDiskSource(path: folder.file("disk.img"))
        #expect(source.size == 10_000)
        #expect(try await source.read(at: 9_000, length: 1_000) == bytes.subdata(in: 9_000..<10_000))
        for (offset, length) in [(Int64.max - 10, 100), (9_500, 1_000), (-1, 10)] {
            let error = await #expect(throws: RepositoryError.self) {
                _ = try await source.read(at: offset, length: length)
            }
            #expect(error?.code == .invalidArgument)
        }
    }

    @Test func aFailedRestoreLeavesTheTargetAsItWasAndNoTemporaryFile() async throws {
        let folder = try TemporaryFolder()
        let target = folder.file("restored.img")
        try Fixtures.write(Data("previous".utf8), to: target)
        let writer = try await RestoreWriter.open(target)
        try await writer.write(Data(repeating: 7, count: 4096), at: 0)
        await writer.discard()
        #expect(try Data(contentsOf: URL(fileURLWithPath: target)) == Data("previous".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["restored.img"])

        let finished = try await RestoreWriter.open(target)
        try await finished.write(Data(repeating: 7, count: 4096), at: 0)
        try await finished.finish(size: 8192)
        let written = try Data(contentsOf: URL(fileURLWithPath: target))
        #expect(written == Data(repeating: 7, count: 4096) + Data(count: 4096))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["restored.img"])
    }

    @Test func restoringIntoAMissingFolderOrOntoAFolderIsAnIOError() async throws {
        let folder = try TemporaryFolder()
        let missing = await #expect(throws: RepositoryError.self) {
            _ = try await RestoreWriter.open(folder.file("nowhere/disk.img"))
        }
        #expect(missing?.code == .io)
        #expect(missing?.message.contains("does not exist") == true)
        let onFolder = await #expect(throws: RepositoryError.self) { _ = try await RestoreWriter.open(folder.path) }
        #expect(onFolder?.code == .io)
        #expect(onFolder?.message.contains("is a folder") == true)
    }

    @Test(.enabled(if: SmallFileSystem.isAvailable, "mounting a small tmpfs needs root"))
    func aRestoreOntoAFullDiskIsAnIOErrorAndLeavesNothingBehind() async throws {
        let folder = try TemporaryFolder()
        let repository = try await Fixtures.repository(in: folder)
        let image = Images.make(.random, size: 2 << 20, seed: 3)
        try Fixtures.write(image, to: folder.file("disk.img"))
        let backup = try await repository.backup(source: try FileDiskSource(path: folder.file("disk.img")))
        let small = try SmallFileSystem(bytes: 512 << 10)
        let target = small.path + "/restored.img"
        let error = await #expect(throws: RepositoryError.self) {
            try await repository.restore(backup.restorePoint.id, toFile: target)
        }
        #expect(error?.code == .io)
        #expect(error?.message.contains("disk is full") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: small.path).isEmpty)
    }
}
