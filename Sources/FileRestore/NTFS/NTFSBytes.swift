/// Bounds-checked little-endian reads from an on-disk NTFS structure.
///
/// Every read names the structure it belongs to, so a short or damaged buffer ends in a
/// ``FileRestoreError`` that says which structure and which offset was out of range.
struct NTFSBytes {
    /// The structure's bytes.
    let bytes: [UInt8]
    /// What the bytes are, for error messages ("MFT record 42").
    let what: String

    init(_ bytes: [UInt8], _ what: String) {
        self.bytes = bytes
        self.what = what
    }

    var count: Int { bytes.count }

    /// Fails unless `[offset, offset + length)` lies inside the buffer.
    func check(_ offset: Int, _ length: Int, _ field: String) throws {
        guard offset >= 0, length >= 0, offset <= bytes.count, length <= bytes.count - offset else {
            throw FileRestoreError(
                .damaged,
                "\(what): \(field) (\(length) bytes at offset \(offset)) lies outside its \(bytes.count) bytes"
            )
        }
    }

    func u8(_ offset: Int, _ field: String) throws -> UInt8 {
        try check(offset, 1, field)
        return bytes[offset]
    }

    func u16(_ offset: Int, _ field: String) throws -> UInt16 {
        try check(offset, 2, field)
        return UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }

    func u32(_ offset: Int, _ field: String) throws -> UInt32 {
        try check(offset, 4, field)
        var value: UInt32 = 0
        for index in (0..<4).reversed() { value = value << 8 | UInt32(bytes[offset + index]) }
        return value
    }

    func u64(_ offset: Int, _ field: String) throws -> UInt64 {
        try check(offset, 8, field)
        var value: UInt64 = 0
        for index in (0..<8).reversed() { value = value << 8 | UInt64(bytes[offset + index]) }
        return value
    }

    /// `length` bytes from `offset`.
    func slice(_ offset: Int, _ length: Int, _ field: String) throws -> [UInt8] {
        try check(offset, length, field)
        return Array(bytes[offset..<offset + length])
    }

    /// A UTF-16LE string of `units` code units at `offset` (unpaired surrogates become U+FFFD).
    func utf16(_ offset: Int, units: Int, _ field: String) throws -> [UInt16] {
        try check(offset, units * 2, field)
        return (0..<units).map { UInt16(bytes[offset + 2 * $0]) | UInt16(bytes[offset + 2 * $0 + 1]) << 8 }
    }
}

extension String {
    /// A string from UTF-16 code units as NTFS stores names.
    init(ntfsName units: [UInt16]) {
        self = String(decoding: units, as: UTF16.self)
    }
}
