/// The random 256-bit name of a pack object.
public struct PackID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The 32 bytes, in the same representation as a block ID.
    let value: BlockID

    init(value: BlockID) {
        self.value = value
    }

    /// Parses 64 hexadecimal digits.
    public init?(hex: String) {
        guard let value = BlockID(hex: hex) else { return nil }
        self.value = value
    }

    static func random() -> PackID {
        var generator = SystemRandomNumberGenerator()
        return PackID(value: BlockID(bytes: (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }))
    }

    /// 64 lowercase hexadecimal digits.
    public var hex: String { value.hex }

    /// The pack's object key: `packs/<first two hex digits>/<64 hex digits>`.
    public var objectKey: String {
        let hex = self.hex
        return "packs/\(hex.prefix(2))/\(hex)"
    }

    /// Parses a pack object key, or returns `nil` when `key` does not name a pack.
    public init?(objectKey key: String) {
        let parts = key.split(separator: "/")
        guard parts.count == 3, parts[0] == "packs", let id = PackID(hex: String(parts[2])),
            parts[1] == parts[2].prefix(2)
        else { return nil }
        self = id
    }

    public var description: String { hex }

    public static func < (lhs: PackID, rhs: PackID) -> Bool { lhs.value < rhs.value }
}
