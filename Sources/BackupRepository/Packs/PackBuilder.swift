import Foundation

/// Collects sealed blocks into one pack object in memory, then adds the sealed trailer and footer.
///
/// The contents live in a ``PackBuffer`` (from a pool when one is given); ``finish(cipher:)`` returns them as a
/// `Data` over that buffer without copying. A builder is used by one task and finished once.
struct PackBuilder {
    let id: PackID
    private let pool: PackBufferPool?
    private var buffer: PackBuffer
    private(set) var size: Int
    private(set) var entries: [PackEntry] = []

    /// A builder whose buffer comes from `pool` (and goes back to it once the finished pack is released).
    init(pool: PackBufferPool) {
        self.pool = pool
        buffer = pool.take()
        id = PackID.random()
        size = 0
        write(PackFormat.headerMagic)
    }

    /// A builder with a buffer of its own, grown as needed.
    init(capacity: Int) {
        pool = nil
        buffer = PackBuffer(capacity: capacity + 64 * 1024)
        id = PackID.random()
        size = 0
        write(PackFormat.headerMagic)
    }

    var isEmpty: Bool { entries.isEmpty }

    /// Appends one sealed block and returns where it will live.
    mutating func append(_ block: BlockCodec.Encoded) -> BlockLocation {
        let entry = PackEntry(
            id: block.id,
            offset: UInt32(size),
            storedLength: UInt32(block.sealed.count),
            rawLength: UInt32(block.rawLength),
            flags: block.flags
        )
        write(block.sealed)
        entries.append(entry)
        return BlockLocation(pack: id, entry: entry)
    }

    /// The finished pack object: blocks, sealed trailer, footer. The result shares the builder's memory.
    mutating func finish(cipher: ObjectCipher) throws -> Data {
        let trailer = try cipher.sealMetadata(
            PackFormat.encodeTrailer(entries),
            aad: PackFormat.aad(packKey: id.objectKey)
        )
        write(trailer)
        var footer = ByteWriter(capacity: PackFormat.footerSize)
        footer.append(UInt32(trailer.count))
        footer.append(PackFormat.version)
        footer.append(bytes: PackFormat.footerMagic)
        write(footer.bytes)
        guard let base = buffer.memory.baseAddress else { return Data() }
        let owner = buffer
        let pool = self.pool
        return Data(bytesNoCopy: base, count: size, deallocator: .custom { _, _ in pool?.recycle(owner) })
    }

    /// Copies `bytes` to the end of the contents, moving them to a larger buffer first when they do not fit.
    private mutating func write(_ bytes: some DataProtocol) {
        let count = bytes.count
        if size + count > buffer.capacity {
            let larger = PackBuffer(capacity: max(buffer.capacity * 2, size + count))
            if let source = buffer.memory.baseAddress, size > 0 {
                larger.memory.baseAddress?.copyMemory(from: source, byteCount: size)
            }
            pool?.recycle(buffer)
            buffer = larger
        }
        let target = UnsafeMutableRawBufferPointer(rebasing: buffer.memory[size..<size + count])
        let copied = bytes.copyBytes(to: target)
        size += copied
    }
}
