/// Bounds-checked little-endian field reads from on-disk structures: a field that lies outside the bytes
/// reads as zero, so a parser over a short or hostile buffer never traps. Parsers check lengths themselves
/// before trusting a structure; these reads only guarantee that a missed check cannot crash.
extension Array where Element == UInt8 {
    /// The unsigned 8-bit field at `offset`.
    public func u8(_ offset: Int) -> UInt8 {
        offset >= 0 && offset < count ? self[offset] : 0
    }

    /// The little-endian 16-bit field at `offset`.
    public func u16(_ offset: Int) -> UInt16 {
        guard offset >= 0, offset <= count - 2 else { return 0 }
        return UInt16(self[offset]) | UInt16(self[offset + 1]) << 8
    }

    /// The little-endian 32-bit field at `offset`.
    public func u32(_ offset: Int) -> UInt32 {
        guard offset >= 0, offset <= count - 4 else { return 0 }
        var value: UInt32 = 0
        for index in (0..<4).reversed() { value = value << 8 | UInt32(self[offset + index]) }
        return value
    }

    /// The little-endian 64-bit field at `offset`.
    public func u64(_ offset: Int) -> UInt64 {
        guard offset >= 0, offset <= count - 8 else { return 0 }
        var value: UInt64 = 0
        for index in (0..<8).reversed() { value = value << 8 | UInt64(self[offset + index]) }
        return value
    }

    /// `length` bytes from `offset`, clipped to the array.
    public func bytes(_ offset: Int, _ length: Int) -> [UInt8] {
        guard offset >= 0, length > 0, offset < count else { return [] }
        return Array(self[offset..<offset + Swift.min(length, count - offset)])
    }
}
