/// A small greedy LZNT1 compressor, to produce compressed data the reader's decoder must read back.
enum LZNT1Compressor {
    static func compress(_ input: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        var start = 0
        while start < input.count {
            let chunk = Array(input[start..<min(start + 4096, input.count)])
            let packed = compressChunk(chunk)
            if packed.count < chunk.count {
                let header = 0xB000 | (packed.count - 1)
                output += [UInt8(header & 0xFF), UInt8(header >> 8)] + packed
            } else {
                let header = 0x3000 | (chunk.count - 1)
                output += [UInt8(header & 0xFF), UInt8(header >> 8)] + chunk
            }
            start += 4096
        }
        return output
    }

    private static func compressChunk(_ chunk: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        var last: [Int: Int] = [:]
        var position = 0
        while position < chunk.count {
            let flagsAt = output.count
            output.append(0)
            for bit in 0..<8 where position < chunk.count {
                var lengthBits = 12
                var scan = position - 1
                while scan >= 0x10 {
                    lengthBits -= 1
                    scan >>= 1
                }
                let maxDistance = 1 << (16 - lengthBits)
                let maxLength = (1 << lengthBits) - 1 + 3
                var bestLength = 0
                var bestDistance = 0
                if position + 3 <= chunk.count {
                    let key = Int(chunk[position]) << 16 | Int(chunk[position + 1]) << 8 | Int(chunk[position + 2])
                    if let candidate = last[key], position - candidate <= maxDistance {
                        var length = 0
                        while position + length < chunk.count, length < maxLength,
                            chunk[candidate + length] == chunk[position + length]
                        {
                            length += 1
                        }
                        bestLength = length
                        bestDistance = position - candidate
                    }
                }
                if bestLength >= 3 {
                    let token = (bestDistance - 1) << lengthBits | (bestLength - 3)
                    output += [UInt8(token & 0xFF), UInt8(token >> 8)]
                    output[flagsAt] |= 1 << bit
                    for index in position..<position + bestLength where index + 3 <= chunk.count {
                        last[Int(chunk[index]) << 16 | Int(chunk[index + 1]) << 8 | Int(chunk[index + 2])] = index
                    }
                    position += bestLength
                } else {
                    if position + 3 <= chunk.count {
                        last[Int(chunk[position]) << 16 | Int(chunk[position + 1]) << 8 | Int(chunk[position + 2])] =
                            position
                    }
                    output.append(chunk[position])
                    position += 1
                }
            }
        }
        return output
    }
}
