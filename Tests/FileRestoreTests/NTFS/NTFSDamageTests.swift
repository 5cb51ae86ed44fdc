import Testing

@testable import FileRestore

@Suite struct NTFSDamageTests {
    static func openFails(_ bytes: [UInt8]) async -> FileRestoreError? {
        await #expect(throws: FileRestoreError.self) { try await NTFSReader(InMemoryByteSource(bytes)) }
    }

    @Test func aTruncatedImageIsRefusedWhenOpened() async throws {
        let image = try await NTFSTestImage.shared.value
        let error = await Self.openFails(Array(image.bytes.prefix(image.bytes.count / 2)))
        #expect(error?.message.contains("truncated") == true)
    }

    @Test func aTruncatedMFTNamesItsRunlist() async throws {
        let image = try await NTFSTestImage.shared.value
        let volume = try await NTFSVolume(InMemoryByteSource(image.bytes))
        // Cut the volume a few records into the MFT and make the boot sector agree.
        let cut = Int(volume.boot.mftCluster) * volume.clusterSize + 8 * 1024
        var bytes = Array(image.bytes.prefix(cut))
        NTFSImageEditing.put64(&bytes, 0x28, UInt64(cut / volume.boot.bytesPerSector))
        let error = await Self.openFails(bytes)
        #expect(error?.code == .damaged)
        #expect(error?.message.contains("MFT record 0") == true)
    }

    @Test func aBadFixupNamesTheRecordAndSector() async throws {
        let image = try await NTFSTestImage.shared.value
        let reader = try await NTFSReader(InMemoryByteSource(image.bytes))
        let tiny = try await reader.lookup("/tiny.txt")
        var bytes = image.bytes
        let offset = try await NTFSImageEditing.recordOffset(bytes, tiny.identity)
        bytes[offset + 1022] ^= 0xFF
        let damaged = try await NTFSReader(InMemoryByteSource(bytes))
        let error = await #expect(throws: FileRestoreError.self) { try await damaged.lookup("/tiny.txt") }
        #expect(error?.message.contains("MFT record \(tiny.identity): sector 1") == true)
        // The rest of the folder still reads.
        #expect(try await damaged.lookup("/size-1.bin").size == 1)
    }

    @Test func aRecordOverwrittenWithZerosIsNamed() async throws {
        let image = try await NTFSTestImage.shared.value
        let reader = try await NTFSReader(InMemoryByteSource(image.bytes))
        let file = try await reader.lookup("/size-4096.bin")
        var bytes = image.bytes
        let offset = try await NTFSImageEditing.recordOffset(bytes, file.identity)
        bytes.replaceSubrange(offset..<offset + 1024, with: [UInt8](repeating: 0, count: 1024))
        let damaged = try await NTFSReader(InMemoryByteSource(bytes))
        let error = await #expect(throws: FileRestoreError.self) { try await damaged.read(file, at: 0, count: 1) }
        #expect(error?.message.contains("MFT record \(file.identity): the signature is not \"FILE\"") == true)
    }

    @Test func aLoopingDirectoryIndexIsDetected() async throws {
        let image = try await NTFSTestImage.shared.value
        var bytes = image.bytes
        let volume = try await NTFSVolume(InMemoryByteSource(bytes))
        let index = try await volume.directoryIndex(try await volume.file(5))
        let allocation = try #require(index.allocation)
        // Find an index record with children and point its first child back at the record itself.
        var looped: UInt64?
        for vcn in index.rootEntries.compactMap(\.child) where looped == nil {
            let entries = try await index.node(volume.source, vcn: vcn)
            guard entries.contains(where: { $0.child != nil }) else { continue }
            let position = vcn << UInt64(index.vcnShift)
            let cluster = UInt64(volume.clusterSize)
            let run = allocation.runs[try #require(allocation.runIndex(holding: position / cluster))]
            let disk = Int(try #require(run.lcn) * cluster + position - run.vcn * cluster)
            try NTFSImageEditing.editRecord(&bytes, at: disk, size: index.blockSize, magic: "INDX") { record in
                let header = 0x18
                let entry = header + Int(NTFSImageEditing.le32(record, header))
                let length = Int(NTFSImageEditing.le16(record, entry + 8))
                try #require(NTFSImageEditing.le16(record, entry + 12) & 1 != 0)
                NTFSImageEditing.put64(&record, entry + length - 8, vcn)
            }
            looped = vcn
        }
        let vcn = try #require(looped)
        let reader = try await NTFSReader(InMemoryByteSource(bytes))
        let error = await #expect(throws: FileRestoreError.self) { try await reader.list(try await reader.root()) }
        #expect(error?.message.contains("VCN \(vcn) is reached twice (a loop)") == true)
        // A lookup through the damaged node ends too, with an error or a miss, never a hang.
        do {
            _ = try await reader.lookup("/entry 0 of the folder with many files.txt")
        } catch {
            #expect(error is FileRestoreError)
        }
    }

    @Test func bootSectorFieldsAreValidated() throws {
        func sector(_ edit: (inout [UInt8]) -> Void) -> [UInt8] {
            var bytes = [UInt8](repeating: 0, count: 512)
            bytes.replaceSubrange(3..<11, with: Array("NTFS    ".utf8))
            NTFSImageEditing.put16(&bytes, 0x0B, 512)
            bytes[0x0D] = 8
            NTFSImageEditing.put64(&bytes, 0x28, 2047)
            NTFSImageEditing.put64(&bytes, 0x30, 4)
            bytes[0x40] = 0xF6
            bytes[0x44] = 1
            bytes[510] = 0x55
            bytes[511] = 0xAA
            edit(&bytes)
            return bytes
        }
        let boot = try NTFSBootSector(sector { _ in }, sourceSize: 1 << 20)
        #expect(boot.clusterSize == 4096 && boot.recordSize == 1024 && boot.indexRecordSize == 4096)
        // 0xF4: 2^(256 - 244) = 4096 sectors per cluster, a 2 MiB cluster.
        let large = try NTFSBootSector(
            sector {
                $0[0x0D] = 0xF4
                $0[0x44] = 0xF4
                NTFSImageEditing.put64(&$0, 0x28, 1 << 16)
            },
            sourceSize: 32 << 20
        )
        #expect(large.clusterSize == 2 << 20)
        let broken: [(String, (inout [UInt8]) -> Void)] = [
            ("OEM", { $0[3] = 0x4D }),
            ("55 AA", { $0[511] = 0 }),
            ("bytes per sector", { NTFSImageEditing.put16(&$0, 0x0B, 1000) }),
            ("sectors per cluster", { $0[0x0D] = 3 }),
            ("sectors per cluster", { $0[0x0D] = 0 }),
            ("sectors per cluster", { $0[0x0D] = 0xE0 }),
            ("truncated", { NTFSImageEditing.put64(&$0, 0x28, 4096) }),
            ("MFT", { NTFSImageEditing.put64(&$0, 0x30, 1 << 40) }),
            ("MFT record size", { $0[0x40] = 0 }),
            ("MFT record size", { $0[0x40] = 0xEF }),
            ("index record size", { $0[0x44] = 0x7F }),
        ]
        for (word, edit) in broken {
            let error = #expect(throws: FileRestoreError.self) { try NTFSBootSector(sector(edit), sourceSize: 1 << 20) }
            #expect(error?.message.contains(word) == true, "\(word): \(error?.message ?? "")")
        }
    }
}
