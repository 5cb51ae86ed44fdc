/// Writes a deterministic, mixed disk image: extents of zeros, random bytes and text-like
/// bytes, each 64 KiB to 4 MiB long (4 KiB aligned), in proportions close to the requested mix.
struct ImageGenerator: Sendable {
    /// The kinds of content an extent holds.
    enum Kind: Int, CaseIterable, Sendable {
        case zero
        case random
        case text
    }

    /// The shares of the image, in percent, for zeros, random and text-like bytes.
    struct Mix: Sendable {
        var zero: Int64 = 35
        var random: Int64 = 30
        var text: Int64 = 35

        func share(of kind: Kind) -> Int64 {
            switch kind {
            case .zero: zero
            case .random: random
            case .text: text
            }
        }
    }

    /// What was written.
    struct Summary: Codable, Sendable {
        var path: String
        var size: Int64
        var seed: UInt64
        var extents: Int
        var zeroBytes: Int64
        var randomBytes: Int64
        var textBytes: Int64
    }

    /// The image size in bytes.
    var size: Int64
    /// The seed that determines every byte.
    var seed: UInt64
    /// The proportions of each kind of content.
    var mix = Mix()
    /// The smallest and largest extent.
    var extentSizes: ClosedRange<Int64> = (64 << 10)...(4 << 20)
    /// Whether zero extents are left as holes instead of written.
    var sparse = false

    private static let alignment: Int64 = 4096

    /// Writes the image to `path`, calling `progress` with the bytes written so far.
    func write(to path: String, progress: (Int64) -> Void = { _ in }) async throws -> Summary {
        let file = try await RawFile.create(path)
        var random = SeededRandom(seed: seed)
        var text = TextSynthesizer(seed: seed ^ 0x7465_7874)
        var written: [Int64] = [0, 0, 0]
        var extents = 0
        let totalShare = max(mix.zero + mix.random + mix.text, 1)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Int(extentSizes.upperBound), alignment: 4096)
        defer { buffer.deallocate() }
        buffer.initializeMemory(as: UInt8.self, repeating: 0)

        var offset: Int64 = 0
        while offset < size {
            let kind = chooseKind(written: written, offset: offset, totalShare: totalShare, random: &random)
            let steps = random.inRange(
                (extentSizes.lowerBound / Self.alignment)...(extentSizes.upperBound / Self.alignment)
            )
            let length = min(steps * Self.alignment, size - offset)
            let slice = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<Int(length)])
            switch kind {
            case .zero:
                if !sparse {
                    slice.initializeMemory(as: UInt8.self, repeating: 0)
                    try await file.write(UnsafeRawBufferPointer(slice), at: offset)
                }
            case .random:
                random.fill(slice)
                try await file.write(UnsafeRawBufferPointer(slice), at: offset)
            case .text:
                text.fill(slice)
                try await file.write(UnsafeRawBufferPointer(slice), at: offset)
            }
            written[kind.rawValue] += length
            extents += 1
            offset += length
            progress(offset)
        }
        try await file.truncate(to: size)
        return Summary(
            path: path,
            size: size,
            seed: seed,
            extents: extents,
            zeroBytes: written[Kind.zero.rawValue],
            randomBytes: written[Kind.random.rawValue],
            textBytes: written[Kind.text.rawValue]
        )
    }

    /// Picks the next extent's kind at random, weighted by how far each kind is below its share
    /// of the image written so far, so the final proportions land close to the mix.
    private func chooseKind(
        written: [Int64],
        offset: Int64,
        totalShare: Int64,
        random: inout SeededRandom
    ) -> Kind {
        let target = offset + extentSizes.upperBound
        let deficits = Kind.allCases.map { kind in
            max(0, target * mix.share(of: kind) / totalShare - written[kind.rawValue])
        }
        let sum = deficits.reduce(0, +)
        guard sum > 0 else { return .random }
        var pick = random.below(sum)
        for kind in Kind.allCases {
            if pick < deficits[kind.rawValue] { return kind }
            pick -= deficits[kind.rawValue]
        }
        return .random
    }
}
