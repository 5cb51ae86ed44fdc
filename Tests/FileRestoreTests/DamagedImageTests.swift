import Foundation
import Testing

@testable import FileRestore

/// Damaged and hostile structures end in clear errors, never a crash or a hang.
@Suite struct DamagedImageTests {
    private func image(_ name: String) async throws -> [UInt8] {
        let images = try await TestImages.shared.value
        return Array(try Data(contentsOf: URL(fileURLWithPath: images.folder.file("images/\(name).img"))))
    }

    @Test func aTruncatedFileSystemIsRefusedAtOpening() async throws {
        let bytes = try await image("inline")
        let error = await #expect(throws: FileRestoreError.self) {
            try await Ext4Reader(InMemoryByteSource(Array(bytes.prefix(bytes.count / 2))))
        }
        #expect(error?.code == .damaged)
        #expect(error?.message.contains("truncated") == true)
    }

    @Test func aBadGroupDescriptorIsNamed() async throws {
        var bytes = try await image("inline")
        let reader = try await Ext4Reader(InMemoryByteSource(bytes))
        let descriptors = Int(reader.superblock.firstDataBlock + 1) * reader.superblock.blockSize
        for index in 0..<4 { bytes[descriptors + 8 + index] = 0xFF }
        let damaged = try await Ext4Reader(InMemoryByteSource(bytes))
        let error = await #expect(throws: FileRestoreError.self) { try await damaged.root() }
        #expect(error?.code == .damaged)
        #expect(error?.message.contains("group descriptor of group 0") == true)
    }

    @Test func aLoopingExtentTreeIsDetected() async throws {
        var bytes = try await image("inline")
        let reader = try await Ext4Reader(InMemoryByteSource(bytes))
        let file = try await reader.lookup("/large.bin")
        let inode = Int(try await reader.inodeOffset(file.identity))
        // The root becomes an index of depth 1 pointing at a block that points at itself.
        let loopBlock = Int(reader.superblock.blocksCount) - 1
        func writeIndex(at offset: Int, child: Int) {
            let header: [UInt8] = [0x0A, 0xF3, 1, 0, 4, 0, 1, 0, 0, 0, 0, 0]
            let entry: [UInt8] =
                [0, 0, 0, 0] + withUnsafeBytes(of: UInt32(child).littleEndian, Array.init) + [0, 0, 0, 0]
            bytes.replaceSubrange(offset..<offset + 24, with: header + entry)
        }
        writeIndex(at: inode + 0x28, child: loopBlock)
        writeIndex(at: loopBlock * reader.superblock.blockSize, child: loopBlock)
        let damaged = try await Ext4Reader(InMemoryByteSource(bytes))
        let error = await #expect(throws: FileRestoreError.self) { try await damaged.read(file, at: 0, count: 10) }
        #expect(error?.code == .damaged)
        #expect(error?.message.contains("loops") == true)
    }

    @Test func xfsAndBtrfsAreNamedAsNotSupported() async throws {
        var xfs = [UInt8](repeating: 0, count: 1 << 20)
        xfs.replaceSubrange(0..<4, with: Array("XFSB".utf8))
        let error = await #expect(throws: FileRestoreError.self) {
            try await FileSystemProbe.open(InMemoryByteSource(xfs))
        }
        #expect(error?.code == .unsupported)
        #expect(error?.message.hasPrefix("XFS is not supported") == true)
        var btrfs = [UInt8](repeating: 0, count: 1 << 20)
        btrfs.replaceSubrange(0x10040..<0x10048, with: Array("_BHRfS_M".utf8))
        #expect(await FileSystemProbe.detect(InMemoryByteSource(btrfs)) == "btrfs")
    }

    @Test func aLoopingChainOfExtendedBootRecordsIsRefused() async throws {
        var disk = [UInt8](repeating: 0, count: 4 << 20)
        func entry(_ sector: Int, _ slot: Int, type: UInt8, start: UInt32, count: UInt32) {
            let base = sector * 512 + 446 + slot * 16
            disk[base + 4] = type
            disk.replaceSubrange(base + 8..<base + 12, with: withUnsafeBytes(of: start.littleEndian, Array.init))
            disk.replaceSubrange(base + 12..<base + 16, with: withUnsafeBytes(of: count.littleEndian, Array.init))
            disk[sector * 512 + 510] = 0x55
            disk[sector * 512 + 511] = 0xAA
        }
        entry(0, 0, type: 0x05, start: 2048, count: 4096)
        entry(2048, 0, type: 0x83, start: 64, count: 128)
        entry(2048, 1, type: 0x05, start: 1024, count: 1024)
        entry(3072, 0, type: 0x83, start: 64, count: 128)
        entry(3072, 1, type: 0x05, start: 1024, count: 1024)  // links back to itself
        let error = await #expect(throws: FileRestoreError.self) {
            try await PartitionTable.read(InMemoryByteSource(disk))
        }
        #expect(error?.message.contains("loops") == true)
    }

    @Test func aGPTWithADamagedPrimaryHeaderIsReadFromItsBackup() async throws {
        var disk = try await image("gpt")
        disk[512 + 40] ^= 0xFF
        let partitions = try await PartitionTable.read(InMemoryByteSource(disk))
        #expect(partitions.map(\.offset) == [1 << 20])
        disk[disk.count - 512 + 40] ^= 0xFF
        let error = await #expect(throws: FileRestoreError.self) {
            try await PartitionTable.read(InMemoryByteSource(disk))
        }
        #expect(error?.code == .damaged)
        #expect(error?.message.contains("backup header") == true)
    }
}
