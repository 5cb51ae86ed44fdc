import Foundation

/// One node of a restore point's block-map tree (see docs/FORMAT.md, "Tree nodes").
///
/// A node at level 0 (a leaf) maps slots to data blocks; a node at level L > 0 maps slots to child nodes of
/// level L − 1. Slots holding only zeros are absent. Nodes are stored as blocks flagged ``BlockFlags/treeNode``
/// and named by the HMAC of their encoding, so identical subtrees are stored once.
public struct TreeNode: Hashable, Sendable {
    /// 0 for a leaf.
    public var level: Int
    /// Present slots in ascending order.
    public var entries: [Entry]

    /// One present slot.
    public struct Entry: Hashable, Sendable {
        /// The slot number within the node (0 ..< fanout).
        public var slot: Int
        /// The data block or child node.
        public var ref: BlockRef

        /// Creates an entry.
        public init(slot: Int, ref: BlockRef) {
            self.slot = slot
            self.ref = ref
        }
    }

    /// Creates a node.
    public init(level: Int, entries: [Entry]) {
        self.level = level
        self.entries = entries
    }

    static let noPack: UInt16 = 0xFFFF

    func encode() -> [UInt8] {
        var packs: [PackID] = []
        var ordinals: [PackID: UInt16] = [:]
        for entry in entries {
            if let pack = entry.ref.hint?.pack, ordinals[pack] == nil, packs.count < Int(Self.noPack) {
                ordinals[pack] = UInt16(packs.count)
                packs.append(pack)
            }
        }
        var writer = ByteWriter(capacity: 8 + packs.count * 32 + entries.count * 49)
        writer.append(UInt8(1))
        writer.append(UInt8(level))
        writer.append(UInt16(packs.count))
        for pack in packs { writer.append(bytes: pack.value.bytes) }
        writer.append(UInt16(entries.count))
        for entry in entries {
            writer.append(UInt16(entry.slot))
            writer.append(bytes: entry.ref.id.bytes)
            if let hint = entry.ref.hint, let ordinal = ordinals[hint.pack] {
                writer.append(ordinal)
                writer.append(hint.entry.offset)
                writer.append(hint.entry.storedLength)
                writer.append(entry.ref.rawLength)
                writer.append(hint.entry.flags.rawValue)
            } else {
                writer.append(Self.noPack)
                writer.append(UInt32(0))
                writer.append(UInt32(0))
                writer.append(entry.ref.rawLength)
                writer.append(UInt8(0))
            }
        }
        return writer.bytes
    }

    static func decode(_ data: Data, fanout: Int) throws -> TreeNode {
        var reader = ByteReader(data)
        guard try reader.read(UInt8.self) == 1 else { throw ByteReader.Malformed(what: "unknown node version") }
        let level = Int(try reader.read(UInt8.self))
        let packCount = Int(try reader.read(UInt16.self))
        var packs: [PackID] = []
        for _ in 0..<packCount { packs.append(PackID(value: try reader.readBlockID())) }
        let count = Int(try reader.read(UInt16.self))
        guard count <= fanout, count * 49 == reader.remaining else {
            throw ByteReader.Malformed(what: "entry count does not match the node's length")
        }
        var entries: [Entry] = []
        entries.reserveCapacity(count)
        var previous = -1
        for _ in 0..<count {
            let slot = Int(try reader.read(UInt16.self))
            guard slot > previous, slot < fanout else { throw ByteReader.Malformed(what: "slots out of order") }
            previous = slot
            let id = try reader.readBlockID()
            let ordinal = try reader.read(UInt16.self)
            let offset = try reader.read(UInt32.self)
            let stored = try reader.read(UInt32.self)
            let raw = try reader.read(UInt32.self)
            let flags = BlockFlags(rawValue: try reader.read(UInt8.self))
            var hint: BlockLocation?
            if ordinal != noPack {
                guard Int(ordinal) < packs.count else { throw ByteReader.Malformed(what: "pack ordinal out of range") }
                hint = BlockLocation(
                    pack: packs[Int(ordinal)],
                    entry: PackEntry(id: id, offset: offset, storedLength: stored, rawLength: raw, flags: flags)
                )
            }
            entries.append(Entry(slot: slot, ref: BlockRef(id: id, rawLength: raw, hint: hint)))
        }
        return TreeNode(level: level, entries: entries)
    }
}
