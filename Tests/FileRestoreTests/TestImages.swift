import BackupRepository
import Foundation
import Testing

@testable import FileRestore

/// A temporary folder removed when the value is released.
final class TemporaryFolder: Sendable {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.path + "/nimbus-files-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    func file(_ name: String) -> String { path + "/" + name }
}

/// The test images of make-images.sh, built once per test run, and each backed up into a repository.
struct TestImages: Sendable {
    let folder: TemporaryFolder
    let repository: Repository
    let points: [String: RestorePointID]

    var source: String { folder.file("images/src") }
    var small: String { folder.file("images/small") }

    static let shared = Task { try await build() }

    private static func build() async throws -> TestImages {
        let folder = try TemporaryFolder()
        let images = folder.file("images")
        try FileManager.default.createDirectory(atPath: images, withIntermediateDirectories: true)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path + "/Images/make-images.sh"
        try await run("/bin/bash", [script, images])
        var options = Repository.CreateOptions()
        options.blockSize = 64 * 1024
        options.scrypt = .weakForTesting
        options.packTargetSize = 4 << 20
        options.treeFanout = 16
        let repository = try await Repository.create(
            store: try LocalFolderStore(root: folder.file("repo")),
            password: "file restore tests",
            options: options
        )
        var points: [String: RestorePointID] = [:]
        for name in ["ext4", "inline", "ext3", "gpt", "mbr"] {
            let result = try await repository.backup(source: FileDiskSource(path: images + "/\(name).img"))
            points[name] = result.restorePoint.id
        }
        return TestImages(folder: folder, repository: repository, points: points)
    }

    /// Runs a program to its end (without blocking a thread of the pool) and fails unless it succeeds.
    static func run(_ program: String, _ arguments: [String]) async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
        guard status == 0 else {
            throw FileRestoreError(.damaged, "\(program) \(arguments.joined(separator: " ")) exited with \(status)")
        }
    }

    /// Runs `body` with the file system of partition `number` (or the only one) of an image's restore point.
    func withFileSystem<T: Sendable>(
        _ image: String,
        partition number: Int? = nil,
        _ body: (any FileSystemReader, DiskReader) async throws -> T
    ) async throws -> T {
        let id = try #require(points[image])
        return try await repository.withDiskReader(id) { reader in
            let disk = DiskReaderByteSource(reader)
            let partitions = try await PartitionTable.read(disk)
            let partition = try #require(number.map { n in partitions.first { $0.number == n } } ?? partitions.first)
            let fileSystem = try await FileSystemProbe.open(try partition.source(on: disk))
            return try await body(fileSystem, reader)
        }
    }
}

/// Reads a whole file through a reader, in pieces.
func readAll(_ fileSystem: any FileSystemReader, _ entry: FileEntry) async throws -> [UInt8] {
    var bytes: [UInt8] = []
    while UInt64(bytes.count) < entry.size {
        let piece = try await fileSystem.read(entry, at: UInt64(bytes.count), count: 1 << 20)
        if piece.isEmpty { break }
        bytes += piece
    }
    return bytes
}
