import Foundation

/// The ID of a restore point: 32 hexadecimal digits.
public struct RestorePointID: Hashable, Sendable, Codable, CustomStringConvertible, Comparable {
    /// The hexadecimal text.
    public let hex: String

    /// Parses an ID; `nil` unless it is 32 hexadecimal digits.
    public init?(_ text: String) {
        let lowered = text.lowercased()
        guard lowered.utf8.count == 32, [UInt8](hexString: lowered) != nil else { return nil }
        hex = lowered
    }

    static func random() -> RestorePointID {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return RestorePointID(unchecked: bytes.hexString)
    }

    init(unchecked hex: String) {
        self.hex = hex
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = RestorePointID(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "bad ID"))
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }

    /// The restore point's object key: `restorepoints/<hex>`.
    public var objectKey: String { RestorePoint.prefix + hex }

    public var description: String { hex }

    public static func < (lhs: RestorePointID, rhs: RestorePointID) -> Bool { lhs.hex < rhs.hex }
}

/// A restore point: a complete view of one disk at one time, plus opaque metadata.
public struct RestorePoint: Sendable, Codable {
    /// Always 1.
    public var version: Int
    /// The restore point's ID.
    public var id: RestorePointID
    /// When the backup finished.
    public var created: Date
    /// The disk's size in bytes.
    public var diskSize: Int64
    /// The repository block size it was written with.
    public var blockSize: Int
    /// The tree's fanout.
    public var treeFanout: Int
    /// The root node of the block-map tree; `nil` when the whole disk is zero (or empty).
    public var root: StoredRef?
    /// The restore point this one was made from, if any (informational only: nothing depends on it).
    public var parent: RestorePointID?
    /// The caller's opaque JSON metadata.
    public var metadata: Data
    /// Totals of the backup that made it.
    public var statistics: BackupProgress

    static let prefix = "restorepoints/"

    /// A ``BlockRef`` in JSON form.
    public struct StoredRef: Sendable, Codable, Hashable {
        /// The node's ID (64 hex digits).
        public var id: String
        /// The node's plaintext length.
        public var rawLength: UInt32
        /// The hinted pack (64 hex digits), if any.
        public var pack: String?
        /// Offset of the sealed node in the hinted pack.
        public var offset: UInt32?
        /// Sealed length in the hinted pack.
        public var storedLength: UInt32?
        /// Flags of the stored node.
        public var flags: UInt8?

        init(_ ref: BlockRef) {
            id = ref.id.hex
            rawLength = ref.rawLength
            pack = ref.hint?.pack.hex
            offset = ref.hint?.entry.offset
            storedLength = ref.hint?.entry.storedLength
            flags = ref.hint?.entry.flags.rawValue
        }

        var ref: BlockRef? {
            guard let blockID = BlockID(hex: id) else { return nil }
            var hint: BlockLocation?
            if let pack, let packID = PackID(hex: pack), let offset, let storedLength, let flags {
                let entry = PackEntry(
                    id: blockID,
                    offset: offset,
                    storedLength: storedLength,
                    rawLength: rawLength,
                    flags: BlockFlags(rawValue: flags)
                )
                hint = BlockLocation(pack: packID, entry: entry)
            }
            return BlockRef(id: blockID, rawLength: rawLength, hint: hint)
        }
    }
}
