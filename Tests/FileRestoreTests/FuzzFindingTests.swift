import Testing

@testable import FileRestore

/// Small hostile inputs of the kind `make fuzz` produces: each ends in a clear error, never a trap.
@Suite struct FuzzFindingTests {
    /// A 64-sector disk with a protective MBR and a primary GPT whose one entry spans `first…last`, its
    /// header and entry array carrying valid CRCs (the backup header is absent).
    private func gptDisk(first: UInt64, last: UInt64) -> [UInt8] {
        var disk = [UInt8](repeating: 0, count: 64 * 512)
        func put<T: FixedWidthInteger>(_ value: T, at offset: Int) {
            disk.replaceSubrange(
                offset..<offset + T.bitWidth / 8,
                with: withUnsafeBytes(of: value.littleEndian, Array.init)
            )
        }
        disk[446 + 4] = 0xEE
        put(UInt32(1), at: 446 + 8)
        put(UInt32(63), at: 446 + 12)
        disk[510] = 0x55
        disk[511] = 0xAA
        let array = 2 * 512
        for index in 0..<16 { disk[array + index] = UInt8(index + 1) }  // a non-zero type GUID
        put(first, at: array + 32)
        put(last, at: array + 40)
        let header = 512
        disk.replaceSubrange(header..<header + 8, with: Array("EFI PART".utf8))
        put(UInt32(0x0001_0000), at: header + 8)
        put(UInt32(92), at: header + 12)
        put(UInt64(2), at: header + 72)
        put(UInt32(4), at: header + 80)
        put(UInt32(128), at: header + 84)
        put(CRC32.ieee(Array(disk[array..<array + 4 * 128])), at: header + 88)
        put(CRC32.ieee(Array(disk[header..<header + 92])), at: header + 16)
        return disk
    }

    @Test func aGPTEntrySpanningEverySectorIsRefusedNotOverflowed() async throws {
        let sane = try await PartitionTable.read(InMemoryByteSource(gptDisk(first: 34, last: 40)))
        #expect(sane.map(\.offset) == [34 * 512])
        #expect(sane.map(\.size) == [7 * 512])
        let error = await #expect(throws: FileRestoreError.self) {
            try await PartitionTable.read(InMemoryByteSource(gptDisk(first: 0, last: .max)))
        }
        #expect(error?.code == .damaged)
        #expect(error?.message.contains("partition 1") == true)
        #expect(error?.message.contains("past the disk's end") == true)
    }
}
