import Foundation

/// An index object `index/<64 hex>`: where blocks live, for a set of packs (see docs/FORMAT.md, "Index").
public struct IndexObject: Sendable {
    /// The locations listed, sorted by block ID.
    public var locations: [BlockLocation]

    /// Creates an index object from locations in any order.
    public init(locations: [BlockLocation]) {
        self.locations = locations.sorted { $0.entry.id < $1.entry.id }
    }

    static let prefix = "index/"
    static let entrySize = 49
    /// Refuse to decompress index objects larger than this (about 10 million entries).
    static let maximumPlainSize = 512 << 20

    static func randomKey() -> String {
        prefix + PackID.random().hex
    }

    func encode() -> [UInt8] {
        var packs: [PackID] = []
        var ordinals: [PackID: UInt32] = [:]
        for location in locations where ordinals[location.pack] == nil {
            ordinals[location.pack] = UInt32(packs.count)
            packs.append(location.pack)
        }
        var writer = ByteWriter(capacity: 16 + packs.count * 32 + locations.count * Self.entrySize)
        writer.append(UInt8(1))
        writer.append(UInt8(0))
        writer.append(UInt32(packs.count))
        for pack in packs { writer.append(bytes: pack.value.bytes) }
        writer.append(UInt32(locations.count))
        for location in locations {
            let entry = location.entry
            writer.append(bytes: entry.id.bytes)
            writer.append(ordinals[location.pack] ?? 0)
            writer.append(entry.offset)
            writer.append(entry.storedLength)
            writer.append(entry.rawLength)
            writer.append(entry.flags.rawValue)
        }
        return writer.bytes
    }

    static func decode(_ bytes: [UInt8]) throws -> IndexObject {
        var reader = ByteReader(bytes: bytes)
        guard try reader.read(UInt8.self) == 1 else { throw ByteReader.Malformed(what: "unknown index version") }
        _ = try reader.read(UInt8.self)
        let packCount = Int(try reader.read(UInt32.self))
        guard packCount * 32 <= reader.remaining else { throw ByteReader.Malformed(what: "pack table truncated") }
        var packs: [PackID] = []
        packs.reserveCapacity(packCount)
        for _ in 0..<packCount { packs.append(PackID(value: try reader.readBlockID())) }
        let count = Int(try reader.read(UInt32.self))
        guard count * entrySize == reader.remaining else {
            throw ByteReader.Malformed(what: "entry count does not match the object's length")
        }
        var locations: [BlockLocation] = []
        locations.reserveCapacity(count)
        for _ in 0..<count {
            let id = try reader.readBlockID()
            let ordinal = Int(try reader.read(UInt32.self))
            guard ordinal < packs.count else { throw ByteReader.Malformed(what: "pack ordinal out of range") }
            let entry = PackEntry(
                id: id,
                offset: try reader.read(UInt32.self),
                storedLength: try reader.read(UInt32.self),
                rawLength: try reader.read(UInt32.self),
                flags: BlockFlags(rawValue: try reader.read(UInt8.self))
            )
            locations.append(BlockLocation(pack: packs[ordinal], entry: entry))
        }
        var object = IndexObject(locations: [])
        object.locations = locations
        return object
    }
}
