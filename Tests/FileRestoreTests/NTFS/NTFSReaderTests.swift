import Crypto
import Foundation
import Testing

@testable import FileRestore

@Suite struct NTFSReaderTests {
    /// The whole of `file` read in pieces of `piece` bytes.
    static func readAll(_ reader: NTFSReader, _ file: FileEntry, piece: Int = 1 << 20) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        while UInt64(bytes.count) < file.size {
            let part = try await reader.read(file, at: UInt64(bytes.count), count: piece)
            #expect(!part.isEmpty)
            if part.isEmpty { break }
            bytes += part
        }
        return bytes
    }

    static func sha(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    @Test func listsTheRootWithEveryFileAndOnlyLongNames() async throws {
        let image = try await NTFSTestImage.shared.value
        let reader = try await NTFSReader(InMemoryByteSource(image.bytes))
        #expect(reader.typeName == "NTFS")
        let root = try await reader.root()
        #expect(root.kind == .directory)
        #expect(root.identity == 5)
        let entries = try await reader.list(root)
        let expected = Set(image.files.map(\.name) + image.manyNames)
        #expect(Set(entries.map(\.name)) == expected)
        #expect(entries.count == expected.count)
        // The B-tree walk gives the index order: names sorted ignoring case.
        let units = entries.map { Array($0.name.utf16) }
        #expect(zip(units, units.dropFirst()).allSatisfy { reader.volume.upcase.compare($0, $1) < 0 })
        // The root's names need index records, a bitmap and more than one level of them.
        let folder = try await reader.volume.file(5)
        let index = try await reader.volume.directoryIndex(folder)
        #expect(index.allocation != nil)
        #expect(index.rootEntries.allSatisfy { $0.child != nil })
    }

    @Test func readsEveryFileBackWithItsSizeAndHash() async throws {
        let image = try await NTFSTestImage.shared.value
        let reader = try await NTFSReader(InMemoryByteSource(image.bytes))
        for file in image.files {
            let entry = try await reader.lookup("/" + file.name)
            #expect(entry.name == file.name)
            #expect(entry.kind == .regular)
            #expect(entry.size == UInt64(file.bytes.count), "\(file.name)")
            let bytes = try await Self.readAll(reader, entry, piece: 300_007)
            #expect(Self.sha(bytes) == Self.sha(file.bytes), "\(file.name)")
            #expect(entry.linkCount == 1)
            #expect(entry.created != nil && entry.modified != nil && entry.accessed != nil && entry.changed != nil)
            if let modified = file.modified {
                #expect(abs(entry.modified!.timeIntervalSince(modified)) < 0.001, "\(file.name)")
            }
            // Reads at odd offsets, across runs and past the end.
            if file.bytes.count > 10 {
                let offset = file.bytes.count / 3 + 1
                let count = min(70_001, file.bytes.count - offset)
                let part = try await reader.read(entry, at: UInt64(offset), count: count)
                #expect(part == Array(file.bytes[offset..<offset + count]), "\(file.name)")
                let tail = try await reader.read(entry, at: UInt64(file.bytes.count - 5), count: 100)
                #expect(tail == Array(file.bytes.suffix(5)))
            }
            #expect(try await reader.read(entry, at: UInt64(file.bytes.count), count: 10).isEmpty)
        }
    }

    @Test func findsEveryNameOfTheLargeFolderThroughItsBTree() async throws {
        let image = try await NTFSTestImage.shared.value
        let reader = try await NTFSReader(InMemoryByteSource(image.bytes))
        for (index, name) in image.manyNames.enumerated() where index % 7 == 0 || index == image.manyNames.count - 1 {
            let entry = try await reader.lookup("/" + name)
            #expect(entry.name == name)
            #expect(try await reader.read(entry, at: 0, count: 100) == Array("entry \(index)\n".utf8))
        }
    }

    @Test func looksNamesUpIgnoringCaseAsWindowsDoes() async throws {
        let image = try await NTFSTestImage.shared.value
        let reader = try await NTFSReader(InMemoryByteSource(image.bytes))
        let tiny = try await reader.lookup("/tiny.txt")
        #expect(try await reader.lookup("/TINY.TXT").identity == tiny.identity)
        #expect(try await reader.lookup("//Tiny.Txt/").identity == tiny.identity)
        let unicode = try await reader.lookup("/Ünïcødé – 日本語のファイル名.txt")
        #expect(try await reader.lookup("/üNÏCØDÉ – 日本語のファイル名.TXT").identity == unicode.identity)
        #expect(try await reader.lookup("/").identity == 5)
        await #expect(throws: FileRestoreError.self) { try await reader.lookup("/missing.txt") }
        let error = await #expect(throws: FileRestoreError.self) { try await reader.lookup("/tiny.txt/inside") }
        #expect(error?.code == .notFound)
        let wrong = await #expect(throws: FileRestoreError.self) { try await reader.list(tiny) }
        #expect(wrong?.code == .wrongType)
        let root = try await reader.root()
        await #expect(throws: FileRestoreError.self) { try await reader.read(root, at: 0, count: 1) }
        await #expect(throws: FileRestoreError.self) { try await reader.readLink(tiny) }
    }

    @Test func readsAFileWhoseAttributesSpanSeveralRecords() async throws {
        let image = try await NTFSTestImage.shared.value
        let reader = try await NTFSReader(InMemoryByteSource(image.bytes))
        let entry = try await reader.lookup("/streams.bin")
        let base = try await reader.volume.record(entry.identity)
        #expect(base.attributes.contains { $0.type == NTFSAttribute.Kind.attributeList })
        let file = try await reader.volume.file(entry.identity)
        #expect(Set(file.attributes.map(\.recordNumber)).count > 1)
        #expect(file.attributes.filter { $0.type == NTFSAttribute.Kind.data }.count == 13)
        // The root folder's own index attributes are spread over records too.
        let root = try await reader.volume.file(5)
        #expect(Set(root.attributes.map(\.recordNumber)).count > 1)
    }

    @Test func readsAFragmentedFileThroughItsRunlist() async throws {
        let image = try await NTFSTestImage.shared.value
        let reader = try await NTFSReader(InMemoryByteSource(image.bytes))
        let entry = try await reader.lookup("/fragmented.bin")
        let file = try await reader.volume.file(entry.identity)
        let stream = try #require(try file.stream(NTFSAttribute.Kind.data, clusterSize: reader.volume.clusterSize))
        #expect(stream.runs.count > 20)
    }

    @Test func readsHolesOfASparseFileAsZeros() async throws {
        let image = try await NTFSTestImage.shared.value
        let reader = try await NTFSReader(InMemoryByteSource(image.bytes))
        let entry = try await reader.lookup("/sparse.bin")
        let file = try await reader.volume.file(entry.identity)
        let stream = try #require(try file.stream(NTFSAttribute.Kind.data, clusterSize: reader.volume.clusterSize))
        #expect(stream.runs.contains { $0.lcn == nil })
        #expect(try await reader.read(entry, at: 9_000_000, count: 4) == [0, 0, 0, 0])
    }

    @Test func readsThroughAFileBackedSource() async throws {
        let image = try await NTFSTestImage.shared.value
        let reader = try await NTFSReader(try FileByteSource(path: image.path))
        let expected = try #require(image.files.first { $0.name == "size-5000000.bin" })
        let entry = try await reader.lookup("/size-5000000.bin")
        #expect(Self.sha(try await Self.readAll(reader, entry)) == Self.sha(expected.bytes))
    }
}
