/// Case folding for lookups as Windows does it: the volume's own `$UpCase` table maps each UTF-16 code
/// unit to its upper case. Without a usable table, ASCII letters and single-scalar Unicode upper cases are used.
struct NTFSUpcase: Sendable {
    private let table: [UInt16]?

    /// The table read from `$UpCase` (64 Ki code units), or the simple fallback when `data` is not one.
    init(_ data: [UInt8]?) {
        if let data, data.count == 2 * 65536 {
            table = (0..<65536).map { UInt16(data[2 * $0]) | UInt16(data[2 * $0 + 1]) << 8 }
        } else {
            table = nil
        }
    }

    func upper(_ unit: UInt16) -> UInt16 { table.map { $0[Int(unit)] } ?? Self.simpleUpper(unit) }

    /// Compares two names ignoring case: negative, zero or positive, as NTFS orders a file-name index.
    func compare(_ left: [UInt16], _ right: [UInt16]) -> Int {
        for (a, b) in zip(left, right) {
            let upperA = upper(a)
            let upperB = upper(b)
            if upperA != upperB { return upperA < upperB ? -1 : 1 }
        }
        return left.count == right.count ? 0 : (left.count < right.count ? -1 : 1)
    }

    private static func simpleUpper(_ unit: UInt16) -> UInt16 {
        if (0x61...0x7A).contains(unit) { return unit - 0x20 }
        guard unit >= 0x80, let scalar = Unicode.Scalar(unit) else { return unit }
        let upper = String(scalar).uppercased().unicodeScalars
        guard upper.count == 1, let only = upper.first, only.value <= 0xFFFF else { return unit }
        return UInt16(only.value)
    }
}
