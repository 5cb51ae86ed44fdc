/// LZNT1, the compression of NTFS compressed files: a sequence of chunks of at most 4 KiB of output,
/// each stored as is or as LZ77 tokens whose offset/length split widens as the chunk fills.
enum NTFSLZNT1 {
    /// The output size of one chunk.
    static let chunkSize = 4096

    /// Decompresses `input`, producing at most `limit` bytes; every chunk is padded to 4 KiB as NTFS does.
    static func decompress(_ input: [UInt8], limit: Int, what: String) throws -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(min(limit, 1 << 20))
        var position = 0
        while position + 2 <= input.count, output.count < limit {
            let header = Int(input[position]) | Int(input[position + 1]) << 8
            position += 2
            if header == 0 { break }
            let stored = (header & 0x0FFF) + 1
            guard position + stored <= input.count else {
                throw FileRestoreError(
                    .damaged,
                    "\(what): an LZNT1 chunk of \(stored) bytes at offset \(position - 2) runs past its \(input.count) bytes"
                )
            }
            let chunkStart = output.count
            let chunkEnd = position + stored
            if header & 0x8000 == 0 {
                guard stored <= chunkSize else {
                    throw FileRestoreError(.damaged, "\(what): an uncompressed LZNT1 chunk holds \(stored) bytes")
                }
                output += input[position..<chunkEnd]
            } else {
                try decodeChunk(input, from: position, to: chunkEnd, into: &output, what: what)
            }
            position = chunkEnd
            let padded = min(chunkStart + chunkSize, limit)
            if output.count < padded { output += [UInt8](repeating: 0, count: padded - output.count) }
        }
        if output.count > limit { output.removeLast(output.count - limit) }
        return output
    }

    private static func decodeChunk(
        _ input: [UInt8],
        from start: Int,
        to end: Int,
        into output: inout [UInt8],
        what: String
    ) throws {
        let chunkStart = output.count
        var position = start
        while position < end {
            let flags = input[position]
            position += 1
            for bit in 0..<8 where position < end {
                if flags & (1 << bit) == 0 {
                    guard output.count - chunkStart < chunkSize else {
                        throw FileRestoreError(.damaged, "\(what): an LZNT1 chunk decodes to more than 4096 bytes")
                    }
                    output.append(input[position])
                    position += 1
                    continue
                }
                guard position + 2 <= end else {
                    throw FileRestoreError(.damaged, "\(what): an LZNT1 back-reference is cut off by its chunk's end")
                }
                let token = Int(input[position]) | Int(input[position + 1]) << 8
                position += 2
                let filled = output.count - chunkStart
                guard filled > 0 else {
                    throw FileRestoreError(.damaged, "\(what): an LZNT1 chunk starts with a back-reference")
                }
                var lengthBits = 12
                var scan = filled - 1
                while scan >= 0x10 {
                    lengthBits -= 1
                    scan >>= 1
                }
                let distance = (token >> lengthBits) + 1
                let length = (token & ((1 << lengthBits) - 1)) + 3
                guard distance <= filled, filled + length <= chunkSize else {
                    throw FileRestoreError(
                        .damaged,
                        "\(what): an LZNT1 back-reference (distance \(distance), length \(length)) at byte \(filled) "
                            + "of a chunk reaches outside it"
                    )
                }
                var from = output.count - distance
                for _ in 0..<length {
                    output.append(output[from])
                    from += 1
                }
            }
        }
    }
}
