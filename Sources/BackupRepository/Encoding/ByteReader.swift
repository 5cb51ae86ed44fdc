import Foundation

/// Reads little-endian integers and raw bytes from a buffer, failing cleanly instead of reading past its end.
struct ByteReader {
    /// The data ended before a field did, or a field held an impossible value.
    struct Malformed: Error, Sendable, CustomStringConvertible {
        var what: String
        var description: String { what }
    }

    let bytes: [UInt8]
    private(set) var position = 0

    init(_ data: Data) {
        bytes = [UInt8](data)
    }

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    var remaining: Int { bytes.count - position }

    mutating func read<T: FixedWidthInteger>(_: T.Type = T.self) throws -> T {
        let size = MemoryLayout<T>.size
        guard remaining >= size else { throw Malformed(what: "truncated at byte \(position)") }
        var value: T = 0
        for index in 0..<size {
            value |= T(truncatingIfNeeded: bytes[position + index]) << (8 * index)
        }
        position += size
        return value
    }

    mutating func read(count: Int) throws -> [UInt8] {
        guard count >= 0, remaining >= count else { throw Malformed(what: "truncated at byte \(position)") }
        defer { position += count }
        return Array(bytes[position..<position + count])
    }

    mutating func readBlockID() throws -> BlockID {
        guard remaining >= 32 else { throw Malformed(what: "truncated at byte \(position)") }
        defer { position += 32 }
        return BlockID(bytes: bytes[position..<position + 32])
    }

    func expectEnd() throws {
        guard remaining == 0 else { throw Malformed(what: "\(remaining) unexpected trailing bytes") }
    }
}
