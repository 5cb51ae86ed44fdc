import Foundation
import Testing

@testable import BackupRepository

/// Packs are assembled in reusable page-aligned buffers and handed to the store without a copy.
@Suite struct PackBuilderTests {
    let cipher = ObjectCipher(keys: .random(encrypted: true))

    /// Seals `count` blocks of distinct bytes of `length` each.
    func blocks(_ count: Int, length: Int) throws -> [BlockCodec.Encoded] {
        let codec = BlockCodec(keys: cipher.keys, compressionLevel: 4)
        var generator = SeededGenerator(seed: 11)
        return try (0..<count).map { _ in
            let raw = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            return try raw.withUnsafeBytes { try codec.encode($0, id: codec.identity(of: $0)) }
        }
    }

    /// Checks a finished pack byte for byte: magic, every block at its entry's offset, trailer and footer.
    func expectWellFormed(_ pack: Data, id: PackID, holding sealed: [BlockCodec.Encoded]) throws {
        #expect(pack.prefix(8) == Data(PackFormat.headerMagic))
        #expect(pack.suffix(8) == Data(PackFormat.footerMagic))
        let trailerLength =
            Int(pack[pack.count - 16]) | Int(pack[pack.count - 15]) << 8
            | Int(pack[pack.count - 14]) << 16 | Int(pack[pack.count - 13]) << 24
        let trailerStart = pack.count - 16 - trailerLength
        let trailer = try #require(
            cipher.openMetadata(
                pack.subdata(in: trailerStart..<pack.count - 16),
                aad: PackFormat.aad(packKey: id.objectKey)
            )
        )
        let entries = try PackFormat.decodeTrailer(trailer)
        #expect(entries.count == sealed.count)
        var expectedOffset = 8
        for (entry, block) in zip(entries, sealed) {
            #expect(Int(entry.offset) == expectedOffset)
            #expect(entry.id == block.id)
            let start = Int(entry.offset)
            #expect(pack.subdata(in: start..<start + Int(entry.storedLength)) == block.sealed)
            expectedOffset += Int(entry.storedLength)
        }
        #expect(expectedOffset == trailerStart)
    }

    @Test func finishedPackBuffersAreReusedOnceReleased() throws {
        let pool = PackBufferPool(capacity: 1 << 20)
        let sealed = try blocks(3, length: 10_000)
        var builder = PackBuilder(pool: pool)
        for block in sealed { _ = builder.append(block) }
        var pack: Data? = try builder.finish(cipher: cipher)
        let memory = try #require(pack?.withUnsafeBytes { $0.baseAddress })
        #expect(Int(bitPattern: memory) % 4096 == 0)
        #expect(pool.idleCount == 0)
        try expectWellFormed(try #require(pack), id: builder.id, holding: sealed)

        pack = nil
        #expect(pool.idleCount == 1)
        var next = PackBuilder(pool: pool)
        #expect(pool.idleCount == 0)
        _ = next.append(sealed[0])
        let reused = try next.finish(cipher: cipher)
        #expect(reused.withUnsafeBytes { $0.baseAddress } == memory)
        try expectWellFormed(reused, id: next.id, holding: [sealed[0]])
    }

    @Test func packsLargerThanTheBufferMoveToALargerOne() throws {
        // A 64 KiB pool buffer cannot hold 40 blocks of 4 KiB: the builder grows and the pack stays exact.
        let pool = PackBufferPool(capacity: 64 << 10)
        let sealed = try blocks(40, length: 4096)
        var builder = PackBuilder(pool: pool)
        for block in sealed { _ = builder.append(block) }
        #expect(builder.size > 64 << 10)
        let pack = try builder.finish(cipher: cipher)
        try expectWellFormed(pack, id: builder.id, holding: sealed)
        // The outgrown buffer went back to the pool; the larger one is not kept when released.
        #expect(pool.idleCount == 1)
    }

    @Test func builderWithoutPoolGrowsToo() throws {
        let sealed = try blocks(20, length: 4096)
        var builder = PackBuilder(capacity: 1024)
        for block in sealed { _ = builder.append(block) }
        try expectWellFormed(try builder.finish(cipher: cipher), id: builder.id, holding: sealed)
    }
}
