import Foundation

/// The 512-byte fixed-VHD footer Azure appends to an exported managed disk: a disk of `n` bytes is served as a
/// page blob of `n + 512` bytes whose last page is this footer.
public enum VHDFooter {
    /// The footer's size.
    public static let size = 512

    /// The footer of a fixed VHD holding `diskSize` bytes of data.
    ///
    /// - Parameters:
    ///   - diskSize: The data size in bytes (a multiple of 512).
    ///   - uniqueID: 16 bytes identifying the disk.
    public static func make(diskSize: Int64, uniqueID: [UInt8]) -> [UInt8] {
        var footer = [UInt8](repeating: 0, count: size)
        func put(_ bytes: [UInt8], at offset: Int) {
            for (index, byte) in bytes.enumerated() { footer[offset + index] = byte }
        }
        func bigEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
            withUnsafeBytes(of: value.bigEndian) { Array($0) }
        }
        put(Array("conectix".utf8), at: 0)
        put(bigEndian(UInt32(2)), at: 8)  // features: reserved bit
        put(bigEndian(UInt32(0x0001_0000)), at: 12)  // format version 1.0
        put(bigEndian(UInt64.max), at: 16)  // data offset: none for a fixed disk
        put(Array("lcld".utf8), at: 28)  // creator application
        put(bigEndian(UInt32(0x0001_0000)), at: 32)  // creator version
        put(Array("Wi2k".utf8), at: 36)  // creator host OS
        put(bigEndian(UInt64(diskSize)), at: 40)  // original size
        put(bigEndian(UInt64(diskSize)), at: 48)  // current size
        put(bigEndian(geometry(diskSize: diskSize)), at: 56)
        put(bigEndian(UInt32(2)), at: 60)  // disk type: fixed
        put(Array(uniqueID.prefix(16)), at: 68)
        let sum = footer.reduce(UInt32(0)) { $0 &+ UInt32($1) }
        put(bigEndian(~sum), at: 64)
        return footer
    }

    /// Cylinders, heads and sectors per track packed as the VHD specification computes them.
    static func geometry(diskSize: Int64) -> UInt32 {
        var totalSectors = UInt64(diskSize / 512)
        totalSectors = min(totalSectors, 65535 * 16 * 255)
        var sectorsPerTrack: UInt64
        var heads: UInt64
        var cylinderTimesHeads: UInt64
        if totalSectors >= 65535 * 16 * 63 {
            sectorsPerTrack = 255
            heads = 16
            cylinderTimesHeads = totalSectors / sectorsPerTrack
        } else {
            sectorsPerTrack = 17
            cylinderTimesHeads = totalSectors / sectorsPerTrack
            heads = max((cylinderTimesHeads + 1023) / 1024, 4)
            if cylinderTimesHeads >= heads * 1024 || heads > 16 {
                sectorsPerTrack = 31
                heads = 16
                cylinderTimesHeads = totalSectors / sectorsPerTrack
            }
            if cylinderTimesHeads >= heads * 1024 {
                sectorsPerTrack = 63
                heads = 16
                cylinderTimesHeads = totalSectors / sectorsPerTrack
            }
        }
        let cylinders = min(cylinderTimesHeads / heads, 65535)
        return UInt32(cylinders << 16 | heads << 8 | sectorsPerTrack)
    }
}
