/// CRC-32 (IEEE 802.3, reflected, as GPT uses) and CRC-32C (Castagnoli, as ext4 metadata checksums use).
public enum CRC32 {
    private static func table(_ polynomial: UInt32) -> [UInt32] {
        (0..<256).map { index in
            var value = UInt32(index)
            for _ in 0..<8 { value = value & 1 == 1 ? (value >> 1) ^ polynomial : value >> 1 }
            return value
        }
    }

    private static let ieeeTable = table(0xEDB8_8320)

    /// The IEEE CRC-32 of `bytes`.
    public static func ieee(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = ieeeTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}
