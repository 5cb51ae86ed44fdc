import Testing

@testable import FileRestore

/// ntfs-3g's tools cannot write compressed files without mounting, so this test compresses a copied
/// file in place: it writes LZNT1 units into the file's clusters and rewrites its `$DATA` attribute as
/// Windows stores a compressed one (compression unit 16 clusters, each unit's unused clusters sparse).
@Suite struct NTFSCompressedFileTests {
    static let unitClusters = 16

    @Test func readsAnLZNT1CompressedFile() async throws {
        let image = try await NTFSTestImage.shared.value
        let reader = try await NTFSReader(InMemoryByteSource(image.bytes))
        let name = "/size-1048581.bin"
        let entry = try await reader.lookup(name)
        let clusterSize = reader.volume.clusterSize
        try #require(clusterSize == 4096)
        let file = try await reader.volume.file(entry.identity)
        let data = try #require(file.attributes(NTFSAttribute.Kind.data).first)
        let runs = try #require(data.nonResident?.runs)
        try #require(runs.count == 1)
        let firstCluster = try #require(runs[0].lcn)

        // Compressible text, with one unit of noise that must stay stored as is.
        let unitBytes = Self.unitClusters * clusterSize
        let text = Array(String(repeating: "a compressed NTFS file, unit after unit. ", count: 30_000).utf8)
        var content = Array(text.prefix(Int(entry.size)))
        content.replaceSubrange(unitBytes..<2 * unitBytes, with: NTFSTestImage.noise(unitBytes, seed: 5))

        var bytes = image.bytes
        var newRuns: [(length: Int, lcn: UInt64?)] = []
        var stored = 0
        let units = (content.count + unitBytes - 1) / unitBytes
        for unit in 0..<units {
            let plain = Array(content[unit * unitBytes..<min(content.count, (unit + 1) * unitBytes)])
            let packed = LZNT1Compressor.compress(plain)
            let lcn = firstCluster + UInt64(unit * Self.unitClusters)
            let clusters = (packed.count + clusterSize - 1) / clusterSize
            let payload = clusters < Self.unitClusters ? packed : plain
            let used = clusters < Self.unitClusters ? clusters : Self.unitClusters
            let disk = Int(lcn) * clusterSize
            bytes.replaceSubrange(disk..<disk + payload.count, with: payload)
            newRuns.append((used, lcn))
            if used < Self.unitClusters { newRuns.append((Self.unitClusters - used, nil)) }
            stored += used
        }
        #expect(newRuns.contains { $0.lcn == nil })

        var attribute = [UInt8](repeating: 0, count: 72)
        NTFSImageEditing.put32(&attribute, 0, 0x80)
        attribute[8] = 1
        NTFSImageEditing.put16(&attribute, 10, 72)
        NTFSImageEditing.put16(&attribute, 12, NTFSAttribute.Flags.compressed)
        NTFSImageEditing.put16(&attribute, 14, data.id)
        NTFSImageEditing.put64(&attribute, 24, UInt64(units * Self.unitClusters - 1))
        NTFSImageEditing.put16(&attribute, 32, 72)
        NTFSImageEditing.put16(&attribute, 34, 4)
        NTFSImageEditing.put64(&attribute, 40, UInt64(units * unitBytes))
        NTFSImageEditing.put64(&attribute, 48, entry.size)
        NTFSImageEditing.put64(&attribute, 56, entry.size)
        NTFSImageEditing.put64(&attribute, 64, UInt64(stored * clusterSize))
        attribute += Self.encode(newRuns)
        while attribute.count % 8 != 0 { attribute.append(0) }
        NTFSImageEditing.put32(&attribute, 4, UInt32(attribute.count))

        let offset = try await NTFSImageEditing.recordOffset(bytes, entry.identity)
        try NTFSImageEditing.editRecord(&bytes, at: offset) { record in
            let at = try #require(NTFSImageEditing.attributeOffset(record, type: 0x80))
            let oldLength = Int(NTFSImageEditing.le32(record, at + 4))
            let used = Int(NTFSImageEditing.le32(record, 0x18))
            var rebuilt = Array(record[0..<at]) + attribute + Array(record[at + oldLength..<used])
            try #require(rebuilt.count <= 1024 - 8)
            NTFSImageEditing.put32(&rebuilt, 0x18, UInt32(rebuilt.count))
            rebuilt += [UInt8](repeating: 0, count: 1024 - rebuilt.count)
            record = rebuilt
        }

        let compressed = try await NTFSReader(InMemoryByteSource(bytes))
        let found = try await compressed.lookup(name)
        #expect(found.size == UInt64(content.count))
        #expect(try await NTFSReaderTests.readAll(compressed, found, piece: 50_001) == content)
        let middle = try await compressed.read(found, at: 3 * UInt64(unitBytes) - 7, count: 20)
        #expect(middle == Array(content[3 * unitBytes - 7..<3 * unitBytes + 13]))
    }

    /// Mapping pairs for `runs`.
    static func encode(_ runs: [(length: Int, lcn: UInt64?)]) -> [UInt8] {
        func field(_ value: Int64) -> [UInt8] {
            var bytes: [UInt8] = []
            var rest = value
            repeat {
                bytes.append(UInt8(truncatingIfNeeded: rest))
                rest >>= 8
            } while !((rest == 0 && bytes.last! & 0x80 == 0) || (rest == -1 && bytes.last! & 0x80 != 0))
            return bytes
        }
        var output: [UInt8] = []
        var previous: Int64 = 0
        for run in runs {
            let length = field(Int64(run.length))
            var offset: [UInt8] = []
            if let lcn = run.lcn {
                offset = field(Int64(lcn) - previous)
                previous = Int64(lcn)
            }
            output += [UInt8(offset.count << 4 | length.count)] + length + offset
        }
        return output + [0]
    }
}
