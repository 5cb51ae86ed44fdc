import Foundation
import Testing

@testable import BackupRepository

/// Large blocks are probed with samples before being compressed: incompressible ones are stored raw without
/// running the (slower) configured level over them, compressible ones are compressed as before.
@Suite struct CompressionProbeTests {
    let codec = BlockCodec(keys: .random(encrypted: true), compressionLevel: 4)
    let blockSize = 256 * 1024

    func encodeAndCheck(_ block: Data) throws -> BlockCodec.Encoded {
        let encoded = try block.withUnsafeBytes { try codec.encode($0, id: codec.identity(of: $0)) }
        let decoded = codec.decode(
            encoded.sealed,
            id: encoded.id,
            flags: encoded.flags,
            rawLength: block.count,
            verifyIdentity: true
        )
        #expect(decoded == block)
        return encoded
    }

    @Test func randomBlocksAreStoredRaw() throws {
        let block = Images.make(.random, size: blockSize, seed: 3)
        let looks = ZstdContext(level: 4).looksCompressible(block.withUnsafeBytes { $0 })
        #expect(!looks)
        let encoded = try encodeAndCheck(block)
        #expect(!encoded.flags.contains(.compressed))
        #expect(encoded.sealed.count == blockSize + 28)
    }

    @Test func textBlocksAreCompressed() throws {
        let block = Images.make(.text, size: blockSize, seed: 4)
        let encoded = try encodeAndCheck(block)
        #expect(encoded.flags.contains(.compressed))
        #expect(encoded.sealed.count < blockSize / 2)
    }

    @Test(arguments: [0, 100_000, 192 * 1024])
    func aCompressibleRegionAsWideAsTheSampleSpacingIsFound(at offset: Int) throws {
        // Random bytes with a 64 KiB zero or text region somewhere: a sample always lands in it.
        var block = Images.make(.random, size: blockSize, seed: 5)
        block.replaceSubrange(offset..<offset + 64 * 1024, with: Images.make(.text, size: 64 * 1024, seed: 6))
        let encoded = try encodeAndCheck(block)
        #expect(encoded.flags.contains(.compressed))
        #expect(encoded.sealed.count < blockSize - blockSize / 32)
    }

    @Test func smallBlocksAreNotProbed() throws {
        // Below the probe's threshold the rule is the plain one: compressed when zstd saves 1/32.
        var block = Images.make(.random, size: 32 * 1024, seed: 7)
        block.replaceSubrange(0..<4096, with: Data(count: 4096))
        let encoded = try encodeAndCheck(block)
        #expect(encoded.flags.contains(.compressed))
    }
}
