@testable import FileRestore

/// Edits of an NTFS image's bytes for damage and feature tests: records are unprotected (fixed up),
/// changed, and protected again with a new update sequence number.
enum NTFSImageEditing {
    /// The image offset of MFT record `number`, found through the `$MFT`'s runlist.
    static func recordOffset(_ image: [UInt8], _ number: UInt64) async throws -> Int {
        let volume = try await NTFSVolume(InMemoryByteSource(image))
        let position = number * UInt64(volume.boot.recordSize)
        let cluster = UInt64(volume.clusterSize)
        let run = volume.mft.runs[volume.mft.runIndex(holding: position / cluster)!]
        return Int(run.lcn! * cluster + position - run.vcn * cluster)
    }

    /// Applies `edit` to the fixed-up record of `size` bytes at `offset`, then protects it again.
    static func editRecord(
        _ image: inout [UInt8],
        at offset: Int,
        size: Int = 1024,
        magic: String = "FILE",
        _ edit: (inout [UInt8]) throws -> Void
    ) throws {
        var record = Array(image[offset..<offset + size])
        try NTFSFixups.apply(&record, magic: magic, what: "edited record")
        try edit(&record)
        protect(&record)
        image.replaceSubrange(offset..<offset + size, with: record)
    }

    /// Writes a new update sequence number into every stride's last two bytes, keeping the originals.
    static func protect(_ record: inout [UInt8]) {
        let arrayOffset = Int(le16(record, 4))
        let sequence = le16(record, arrayOffset) &+ 1
        put16(&record, arrayOffset, sequence)
        for index in 0..<record.count / 512 {
            let end = (index + 1) * 512 - 2
            record[arrayOffset + 2 * (index + 1)] = record[end]
            record[arrayOffset + 2 * (index + 1) + 1] = record[end + 1]
            put16(&record, end, sequence)
        }
    }

    /// The offset of the first attribute of `type` in a fixed-up record.
    static func attributeOffset(_ record: [UInt8], type: UInt32) -> Int? {
        var offset = Int(le16(record, 0x14))
        while offset + 8 <= record.count {
            let found = le32(record, offset)
            if found == 0xFFFF_FFFF { return nil }
            if found == type { return offset }
            offset += Int(le32(record, offset + 4))
        }
        return nil
    }

    static func le16(_ bytes: [UInt8], _ offset: Int) -> UInt16 {
        UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }

    static func le32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        UInt32(le16(bytes, offset)) | UInt32(le16(bytes, offset + 2)) << 16
    }

    static func le64(_ bytes: [UInt8], _ offset: Int) -> UInt64 {
        UInt64(le32(bytes, offset)) | UInt64(le32(bytes, offset + 4)) << 32
    }

    static func put16(_ bytes: inout [UInt8], _ offset: Int, _ value: UInt16) {
        bytes[offset] = UInt8(value & 0xFF)
        bytes[offset + 1] = UInt8(value >> 8)
    }

    static func put32(_ bytes: inout [UInt8], _ offset: Int, _ value: UInt32) {
        put16(&bytes, offset, UInt16(value & 0xFFFF))
        put16(&bytes, offset + 2, UInt16(value >> 16))
    }

    static func put64(_ bytes: inout [UInt8], _ offset: Int, _ value: UInt64) {
        put32(&bytes, offset, UInt32(value & 0xFFFF_FFFF))
        put32(&bytes, offset + 4, UInt32(value >> 32))
    }
}
