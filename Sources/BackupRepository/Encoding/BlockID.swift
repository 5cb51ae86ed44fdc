import Foundation

/// The identity of a stored block or tree node: HMAC-SHA256 of its plaintext under the repository's MAC key.
///
/// Stored as four 64-bit words so that it is cheap to hash, compare and keep in tables.
public struct BlockID: Hashable, Comparable, Sendable, CustomStringConvertible {
    var w0: UInt64
    var w1: UInt64
    var w2: UInt64
    var w3: UInt64

    /// Creates an ID from exactly 32 bytes.
    init(bytes: some Collection<UInt8>) {
        precondition(bytes.count == 32, "a block ID has 32 bytes")
        var words: [UInt64] = [0, 0, 0, 0]
        for (index, byte) in bytes.enumerated() {
            words[index / 8] = words[index / 8] << 8 | UInt64(byte)
        }
        (w0, w1, w2, w3) = (words[0], words[1], words[2], words[3])
    }

    /// Parses 64 hexadecimal digits.
    public init?(hex: String) {
        guard hex.utf8.count == 64, let bytes = [UInt8](hexString: hex) else { return nil }
        self.init(bytes: bytes)
    }

    /// The 32 bytes of the ID in storage order (big-endian words, so byte order equals sort order).
    public var bytes: [UInt8] {
        var result = [UInt8]()
        result.reserveCapacity(32)
        for word in [w0, w1, w2, w3] {
            for shift in stride(from: 56, through: 0, by: -8) {
                result.append(UInt8(truncatingIfNeeded: word >> shift))
            }
        }
        return result
    }

    /// The ID as 64 lowercase hexadecimal digits.
    public var hex: String { bytes.hexString }

    public var description: String { hex }

    public static func < (lhs: BlockID, rhs: BlockID) -> Bool {
        (lhs.w0, lhs.w1, lhs.w2, lhs.w3) < (rhs.w0, rhs.w1, rhs.w2, rhs.w3)
    }
}

extension [UInt8] {
    /// Lowercase hexadecimal digits of the bytes.
    var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(count * 2)
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Parses an even number of hexadecimal digits.
    init?(hexString: String) {
        let utf8 = Array(hexString.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        func value(_ char: UInt8) -> UInt8? {
            switch char {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): char - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): char - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): char - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        var result = [UInt8]()
        result.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = value(utf8[index]), let low = value(utf8[index + 1]) else { return nil }
            result.append(high << 4 | low)
            index += 2
        }
        self = result
    }
}
