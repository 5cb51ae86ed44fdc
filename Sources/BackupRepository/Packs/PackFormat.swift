import Foundation

/// Constants and trailer encoding of pack objects (see docs/FORMAT.md, "Packs").
enum PackFormat {
    /// The 8 bytes every pack starts with.
    static let headerMagic = Array("NIMBPACK".utf8)
    /// The 8 bytes every pack ends with.
    static let footerMagic = Array("NIMBPEND".utf8)
    /// Footer: trailer length (u32), version (u32), magic (8 bytes).
    static let footerSize = 16
    static let version: UInt32 = 1
    static let entrySize = 45

    static func aad(packKey: String) -> [UInt8] { Array(packKey.utf8) }

    static func encodeTrailer(_ entries: [PackEntry]) -> [UInt8] {
        var writer = ByteWriter(capacity: 8 + entries.count * entrySize)
        writer.append(UInt8(1))
        writer.append(UInt8(0))
        writer.append(UInt32(entries.count))
        for entry in entries {
            writer.append(bytes: entry.id.bytes)
            writer.append(entry.offset)
            writer.append(entry.storedLength)
            writer.append(entry.rawLength)
            writer.append(entry.flags.rawValue)
        }
        return writer.bytes
    }

    static func decodeTrailer(_ data: Data) throws -> [PackEntry] {
        var reader = ByteReader(data)
        guard try reader.read(UInt8.self) == 1 else { throw ByteReader.Malformed(what: "unknown trailer version") }
        _ = try reader.read(UInt8.self)
        let count = Int(try reader.read(UInt32.self))
        guard count * entrySize == reader.remaining else {
            throw ByteReader.Malformed(what: "trailer length does not match its entry count")
        }
        var entries: [PackEntry] = []
        entries.reserveCapacity(count)
        for _ in 0..<count {
            let id = try reader.readBlockID()
            let offset = try reader.read(UInt32.self)
            let stored = try reader.read(UInt32.self)
            let raw = try reader.read(UInt32.self)
            let flags = BlockFlags(rawValue: try reader.read(UInt8.self))
            guard BlockFlags.known.isSuperset(of: flags) else { throw ByteReader.Malformed(what: "unknown flags") }
            entries.append(PackEntry(id: id, offset: offset, storedLength: stored, rawLength: raw, flags: flags))
        }
        return entries
    }
}
