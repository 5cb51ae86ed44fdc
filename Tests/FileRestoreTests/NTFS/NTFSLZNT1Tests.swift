import Testing

@testable import FileRestore

@Suite struct NTFSLZNT1Tests {
    @Test func decodesAHandBuiltChunkWithAnOverlappingBackReference() throws {
        // Literals "abc", then a back-reference of distance 3 and length 9: "abcabcabcabc".
        let chunk: [UInt8] = [0x08, 0x61, 0x62, 0x63, 0x06, 0x20]
        let input: [UInt8] = [0x05, 0xB0] + chunk
        #expect(try NTFSLZNT1.decompress(input, limit: 12, what: "test") == Array("abcabcabcabc".utf8))
        let padded = try NTFSLZNT1.decompress(input, limit: 8192, what: "test")
        #expect(padded.count == 4096)
        #expect(padded.prefix(12).elementsEqual("abcabcabcabc".utf8))
        #expect(padded.dropFirst(12).allSatisfy { $0 == 0 })
    }

    @Test func decodesStoredChunksAndWiderOffsetsLaterInAChunk() throws {
        let stored = NTFSTestImage.noise(4096, seed: 1)
        #expect(try NTFSLZNT1.decompress([0xFF, 0x3F] + stored, limit: 4096, what: "test") == stored)
        // 20 literals, then a reference back 20 bytes of length 4: at position 20 the offset takes 5 bits.
        let literals = Array("0123456789abcdefghij".utf8)
        let token = (20 - 1) << 11 | (4 - 3)
        var body: [UInt8] = [0x00] + literals[0..<8] + [0x00] + literals[8..<16] + [0x10] + literals[16..<20]
        body += [UInt8(token & 0xFF), UInt8(token >> 8)]
        let header = 0xB000 | (body.count - 1)
        let decoded = try NTFSLZNT1.decompress([UInt8(header & 0xFF), UInt8(header >> 8)] + body, limit: 24, what: "t")
        #expect(decoded == literals + Array("0123".utf8))
    }

    @Test(arguments: [0, 1, 2, 3])
    func roundTripsCompressedData(seed: UInt64) throws {
        let text = Array(String(repeating: "NTFS compresses in units of 16 clusters. ", count: 900).utf8)
        let noise = NTFSTestImage.noise(10_000, seed: seed)
        let input = Array((text.prefix(20_000 + Int(seed) * 977) + noise + text.suffix(9_000)))
        let packed = LZNT1Compressor.compress(input)
        #expect(packed.count < input.count)
        let limit = (input.count + 4095) / 4096 * 4096
        let decoded = try NTFSLZNT1.decompress(packed, limit: limit, what: "test")
        #expect(Array(decoded.prefix(input.count)) == input)
    }

    @Test func refusesDamagedChunks() throws {
        // A back-reference before any literal, one reaching before the chunk, a chunk past the input.
        let cases: [[UInt8]] = [
            [0x02, 0xB0, 0x01, 0x00, 0x00],
            [0x04, 0xB0, 0x02, 0x61, 0x00, 0x50],
            [0x10, 0xB0, 0x00, 0x61],
        ]
        for input in cases {
            let error = #expect(throws: FileRestoreError.self) {
                try NTFSLZNT1.decompress(input, limit: 65536, what: "unit 3")
            }
            #expect(error?.code == .damaged)
            #expect(error?.message.contains("unit 3") == true)
        }
    }
}
