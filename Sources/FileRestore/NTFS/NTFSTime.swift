import Foundation

/// NTFS times: 100-nanosecond intervals since 1601-01-01 UTC.
enum NTFSTime {
    /// Seconds from 1601-01-01 to 1970-01-01.
    static let unixEpochOffset: Double = 11_644_473_600

    /// The date of an NTFS time, or `nil` for 0 (never set).
    static func date(_ value: UInt64) -> Date? {
        guard value != 0 else { return nil }
        let whole = Double(value / 10_000_000)
        let fraction = Double(value % 10_000_000) / 10_000_000
        return Date(timeIntervalSince1970: whole - unixEpochOffset + fraction)
    }
}

/// The four times NTFS keeps for a file.
struct NTFSTimes: Sendable, Equatable {
    let created: Date?
    let modified: Date?
    /// When the MFT record last changed.
    let changed: Date?
    let accessed: Date?

    /// Parses the four consecutive times (creation, modification, record change, access) at `offset`.
    init(_ bytes: NTFSBytes, at offset: Int) throws {
        created = NTFSTime.date(try bytes.u64(offset, "creation time"))
        modified = NTFSTime.date(try bytes.u64(offset + 8, "modification time"))
        changed = NTFSTime.date(try bytes.u64(offset + 16, "record change time"))
        accessed = NTFSTime.date(try bytes.u64(offset + 24, "access time"))
    }
}

/// `$STANDARD_INFORMATION`: the times Windows shows and the DOS attribute bits.
struct NTFSStandardInformation: Sendable {
    enum Attributes {
        static let reparsePoint: UInt32 = 0x0400
    }

    let times: NTFSTimes
    let fileAttributes: UInt32

    init(_ value: [UInt8], what: String) throws {
        let bytes = NTFSBytes(value, what)
        times = try NTFSTimes(bytes, at: 0)
        fileAttributes = try bytes.u32(0x20, "file attributes")
    }
}
