import Foundation

/// Collects sealed blocks into one pack object in memory, then adds the sealed trailer and footer.
struct PackBuilder {
    let id: PackID
    private(set) var contents: Data
    private(set) var entries: [PackEntry] = []

    init(capacity: Int) {
        id = PackID.random()
        contents = Data()
        contents.reserveCapacity(capacity + 64 * 1024)
        contents.append(contentsOf: PackFormat.headerMagic)
    }

    var isEmpty: Bool { entries.isEmpty }
    var size: Int { contents.count }

    /// Appends one sealed block and returns where it will live.
    mutating func append(_ block: BlockCodec.Encoded) -> BlockLocation {
        let entry = PackEntry(
            id: block.id,
            offset: UInt32(contents.count),
            storedLength: UInt32(block.sealed.count),
            rawLength: UInt32(block.rawLength),
            flags: block.flags
        )
        contents.append(block.sealed)
        entries.append(entry)
        return BlockLocation(pack: id, entry: entry)
    }

    /// The finished pack object: blocks, sealed trailer, footer.
    mutating func finish(cipher: ObjectCipher) throws -> Data {
        let trailer = try cipher.sealMetadata(
            PackFormat.encodeTrailer(entries),
            aad: PackFormat.aad(packKey: id.objectKey)
        )
        contents.append(trailer)
        var footer = ByteWriter(capacity: PackFormat.footerSize)
        footer.append(UInt32(trailer.count))
        footer.append(PackFormat.version)
        footer.append(bytes: PackFormat.footerMagic)
        contents.append(contentsOf: footer.bytes)
        return contents
    }
}
