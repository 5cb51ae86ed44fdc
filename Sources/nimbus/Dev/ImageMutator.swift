import BackupRepository

/// Overwrites a share of an image with scattered writes (4 KiB aligned, 4–256 KiB each, half
/// random and half text-like bytes), like a guest's writes between two snapshots.
struct ImageMutator: Sendable {
    /// What was changed.
    struct Summary: Codable, Sendable {
        var path: String
        var writes: Int
        var bytesWritten: Int64
        var rangesFile: String?
        var ranges: Int
        var changedBytes: Int64
    }

    /// The share of the image to overwrite, in percent.
    var percent: Double
    /// The seed that determines the writes.
    var seed: UInt64
    /// The smallest and largest write.
    var writeSizes: ClosedRange<Int64> = (4 << 10)...(256 << 10)

    private static let alignment: Int64 = 4096

    /// Mutates the image at `path` in place and returns the changed ranges.
    func mutate(_ path: String) async throws -> (ranges: ChangedRanges, writes: Int, bytesWritten: Int64) {
        let file = try await RawFile.openForUpdate(path)
        let size = try await file.size()
        let budget = Int64(Double(size) * percent / 100)
        var random = SeededRandom(seed: seed)
        var text = TextSynthesizer(seed: seed ^ 0x6D75_7461)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Int(writeSizes.upperBound), alignment: 4096)
        defer { buffer.deallocate() }

        var recorded: [ByteRange] = []
        var written: Int64 = 0
        while written < budget {
            let steps = random.inRange(
                (writeSizes.lowerBound / Self.alignment)...(writeSizes.upperBound / Self.alignment)
            )
            var length = steps * Self.alignment
            let remaining = budget - written
            if length > remaining {
                length = max(Self.alignment, (remaining + Self.alignment - 1) / Self.alignment * Self.alignment)
            }
            length = min(length, size)
            guard length > 0 else { break }
            let slots = (size - length) / Self.alignment + 1
            let offset = random.below(slots) * Self.alignment
            let slice = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<Int(length)])
            if random.below(2) == 0 { random.fill(slice) } else { text.fill(slice) }
            try await file.write(UnsafeRawBufferPointer(slice), at: offset)
            recorded.append(ByteRange(offset: offset, length: length))
            written += length
        }
        try await file.sync()
        return (try ChangedRanges(validating: recorded, diskSize: size), recorded.count, written)
    }
}
