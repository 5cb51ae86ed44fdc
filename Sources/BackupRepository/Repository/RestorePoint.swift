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

/// A restore point: a complete view of one or more disks at one time (a VM's OS and data disks, or one disk
/// image), plus the VM's configuration when it is a VM backup, and opaque metadata.
public struct RestorePoint: Sendable {
    /// The format version the object was read with or will be written with (see ``currentVersion``).
    public var version: Int
    /// The restore point's ID.
    public var id: RestorePointID
    /// When the backup finished.
    public var created: Date
    /// The disks, OS disk first, then data disks by LUN; one for a single-image restore point.
    public var disks: [RestorePointDisk]
    /// The VM the disks belong to, when it is a VM backup.
    public var vm: VMConfiguration?
    /// The restore point this one was made from, if any (informational only: nothing depends on it).
    public var parent: RestorePointID?
    /// The caller's opaque JSON metadata.
    public var metadata: Data
    /// Totals of the backup that made it.
    public var statistics: BackupProgress

    /// The version this engine writes: 2 (a `disks` array and an optional `vm`). Version 1 (one disk, its
    /// fields at the top level) is still read.
    public static let currentVersion = 2
    /// The versions this engine reads.
    static let readableVersions = 1...2

    /// A restore point.
    public init(
        id: RestorePointID,
        created: Date,
        disks: [RestorePointDisk],
        vm: VMConfiguration? = nil,
        parent: RestorePointID? = nil,
        metadata: Data = Data("{}".utf8),
        statistics: BackupProgress = BackupProgress()
    ) {
        version = Self.currentVersion
        self.id = id
        self.created = created
        self.disks = disks.sorted { $0.slot < $1.slot }
        self.vm = vm
        self.parent = parent
        self.metadata = metadata
        self.statistics = statistics
    }

    /// The size of the first disk (the only one of a single-image restore point), or 0 without disks.
    public var diskSize: Int64 { disks.first?.size ?? 0 }
    /// The block size of the first disk's tree.
    public var blockSize: Int { disks.first?.blockSize ?? 0 }
    /// The fanout of the first disk's tree.
    public var treeFanout: Int { disks.first?.treeFanout ?? 0 }
    /// The tree root of the first disk.
    public var root: StoredRef? { disks.first?.root }
    /// The sizes of all disks, summed.
    public var totalDiskSize: Int64 { disks.reduce(0) { $0 &+ $1.size } }

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
