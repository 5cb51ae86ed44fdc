import BackupRepository
import Crypto
import Foundation
import Testing

@testable import FileRestore

#if canImport(Glibc)
import Glibc
#endif

/// The images of make-images.sh, backed up with the engine and read back through the restore point.
@Suite struct Ext4ImageTests {
    @Test func everyFileOfTheBigImageEqualsItsSourceWithItsMetadata() async throws {
        let images = try await TestImages.shared.value
        let checked = try await images.withFileSystem("ext4") { fileSystem, _ in
            try await compareTree(fileSystem, try await fileSystem.root(), images.source, metadata: true)
        }
        #expect(checked == 10_049)
    }

    @Test func hardLinksShareAnInodeAndCountTheirLinks() async throws {
        let images = try await TestImages.shared.value
        try await images.withFileSystem("ext4") { fileSystem, _ in
            let first = try await fileSystem.lookup("/size-4096.bin")
            let second = try await fileSystem.lookup("/hard-link.bin")
            #expect(first.identity == second.identity)
            #expect(first.linkCount == 2)
            let deep = try await fileSystem.lookup(
                "/" + (1...30).map { "level\($0)" }.joined(separator: "/") + "/leaf.txt"
            )
            #expect(try await readAll(fileSystem, deep) == Array("at the bottom\n".utf8))
            let sparse = try await fileSystem.lookup("/sparse.bin")
            #expect(
                try await fileSystem.read(sparse, at: 15 * 1024 * 1024 - 2, count: 8) == [0, 0] + Array("tail".utf8) + [
                    0, 0,
                ]
            )
        }
    }

    @Test func lookupsFailClearlyForMissingPathsAndFiles() async throws {
        let images = try await TestImages.shared.value
        try await images.withFileSystem("ext4") { fileSystem, _ in
            let missing = await #expect(throws: FileRestoreError.self) { try await fileSystem.lookup("/nothing/here") }
            #expect(missing?.code == .notFound)
            let throughFile = await #expect(throws: FileRestoreError.self) {
                try await fileSystem.lookup("/size-1.bin/x")
            }
            #expect(throughFile?.code == .wrongType)
            let throughLink = await #expect(throws: FileRestoreError.self) {
                try await fileSystem.lookup("/fast-link/x")
            }
            #expect(throughLink?.code == .notFound)
        }
    }

    @Test func aTenMegabyteFileIsReadWithoutFetchingTheDisk() async throws {
        let images = try await TestImages.shared.value
        let fetched = try await images.withFileSystem("ext4") { fileSystem, reader in
            let entry = try await fileSystem.lookup("/size-3000001.bin")
            let bytes = try await readAll(fileSystem, entry)
            #expect(bytes == Array(try Data(contentsOf: URL(fileURLWithPath: images.source + "/size-3000001.bin"))))
            return reader.statistics.bytesFetched
        }
        // The disk is 96 MiB; the file 3 MB (incompressible) plus a few metadata blocks.
        #expect(fetched < 8 << 20)
    }

    @Test func gptPartitionOneHoldsTheFileSystem() async throws {
        let images = try await TestImages.shared.value
        let id = try #require(images.points["gpt"])
        let partitions = try await images.repository.withDiskReader(id) { reader in
            try await PartitionTable.read(DiskReaderByteSource(reader))
        }
        #expect(partitions.count == 1)
        #expect(partitions.first?.scheme == "GPT")
        #expect(partitions.first?.offset == 1 << 20)
        #expect(partitions.first?.typeName == "Linux file system")
        let checked = try await images.withFileSystem("gpt", partition: 1) { fileSystem, _ in
            let entry = try await fileSystem.lookup("/size-100000.bin")
            let expected = try Data(contentsOf: URL(fileURLWithPath: images.source + "/size-100000.bin"))
            #expect(try await readAll(fileSystem, entry) == Array(expected))
            return entry.size
        }
        #expect(checked == 100_000)
    }

    @Test func mbrLogicalPartitionHoldsAnExt3FileSystemWithBlockMaps() async throws {
        let images = try await TestImages.shared.value
        let id = try #require(images.points["mbr"])
        let partitions = try await images.repository.withDiskReader(id) { reader in
            try await PartitionTable.read(DiskReaderByteSource(reader))
        }
        #expect(partitions.map(\.number) == [1, 5])
        #expect(partitions.last?.offset == 14336 * 512)
        let checked = try await images.withFileSystem("mbr", partition: 5) { fileSystem, _ in
            #expect(fileSystem.typeName == "ext4")
            return try await compareTree(fileSystem, try await fileSystem.root(), images.small, metadata: false)
        }
        #expect(checked >= 8)
    }

    @Test func inlineDataFilesAndFoldersReadBack() async throws {
        let images = try await TestImages.shared.value
        let checked = try await images.withFileSystem("inline") { fileSystem, _ in
            try await compareTree(fileSystem, try await fileSystem.root(), images.small, metadata: false)
        }
        #expect(checked >= 8)
    }
}

/// Compares a folder read through Nimbus with its source, recursively; returns the entries compared.
func compareTree(_ fileSystem: any FileSystemReader, _ folder: FileEntry, _ path: String, metadata: Bool) async throws
    -> Int
{
    let entries = try await fileSystem.list(folder).filter { $0.name != "lost+found" }
    let expected = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
    #expect(entries.map(\.name).sorted() == expected, "folder \(path)")
    var count = 0
    for entry in entries {
        let full = path + "/" + entry.name
        var status = stat()
        #expect(lstat(full, &status) == 0)
        count += 1
        if metadata {
            #expect(entry.mode == UInt32(status.st_mode), "mode of \(full)")
            #expect(entry.uid == status.st_uid && entry.gid == status.st_gid, "owner of \(full)")
            // mkfs.ext4 -d copies whole seconds only.
            let modified = Double(status.st_mtim.tv_sec)
            #expect((entry.modified?.timeIntervalSince1970 ?? 0).rounded(.down) == modified, "time of \(full)")
            #expect(entry.linkCount == UInt32(status.st_nlink), "links of \(full)")
        }
        switch entry.kind {
        case .directory:
            count += try await compareTree(fileSystem, entry, full, metadata: metadata)
        case .regular:
            #expect(entry.size == UInt64(status.st_size), "size of \(full)")
            let read = try await readAll(fileSystem, entry)
            let source = try Data(contentsOf: URL(fileURLWithPath: full))
            #expect(SHA256.hash(data: read) == SHA256.hash(data: source), "contents of \(full)")
        case .symlink:
            let target = try FileManager.default.destinationOfSymbolicLink(atPath: full)
            #expect(try await fileSystem.readLink(entry) == target, "target of \(full)")
        case .other:
            Issue.record("unexpected kind of \(full)")
        }
    }
    return count
}
