import CZstd

/// One zstd compression and decompression context with a scratch buffer, used by one task at a time.
///
/// `@unchecked Sendable`: the contexts are mutable C state; ``ZstdContextPool`` hands each instance to a
/// single task at a time and takes it back afterwards, so no two threads ever use it concurrently.
final class ZstdContext: @unchecked Sendable {
    let compression: OpaquePointer
    let decompression: OpaquePointer
    /// A level-1 context for the incompressibility probe (see ``compress(_:limit:)``).
    let probe: OpaquePointer
    private(set) var scratch: UnsafeMutableRawBufferPointer
    private let probeInput: UnsafeMutableRawBufferPointer
    private let probeOutput: UnsafeMutableRawBufferPointer

    init(level: Int32) {
        guard let cctx = ZSTD_createCCtx(), let dctx = ZSTD_createDCtx(), let pctx = ZSTD_createCCtx() else {
            fatalError("zstd could not allocate a context: out of memory")
        }
        compression = cctx
        decompression = dctx
        probe = pctx
        probeInput = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.probeBytes, alignment: 16)
        probeOutput = UnsafeMutableRawBufferPointer.allocate(
            byteCount: ZSTD_compressBound(Self.probeBytes),
            alignment: 16
        )
        ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, level)
        ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 0)
        ZSTD_CCtx_setParameter(cctx, ZSTD_c_contentSizeFlag, 1)
        scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 0, alignment: 16)
    }

    deinit {
        ZSTD_freeCCtx(compression)
        ZSTD_freeDCtx(decompression)
        ZSTD_freeCCtx(probe)
        scratch.deallocate()
        probeInput.deallocate()
        probeOutput.deallocate()
    }

    /// A scratch buffer of at least `count` bytes, reused between calls.
    func scratch(atLeast count: Int) -> UnsafeMutableRawBufferPointer {
        if scratch.count < count {
            scratch.deallocate()
            scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 16)
        }
        return scratch
    }

    /// Compresses `input` into the scratch buffer; returns the compressed bytes, or `nil` when they would not
    /// be smaller than `limit`.
    ///
    /// Inputs of ``probeThreshold`` bytes or more are probed first: ``probeSamples`` evenly spaced samples of
    /// ``probeSampleBytes`` are compressed together at level 1, and when that saves less than 1/32 the input is
    /// taken as incompressible (`nil`) without running the configured level over all of it. Random or already
    /// compressed data is thus recognised at a few percent of the cost of compressing it; a compressible region
    /// narrower than the sample spacing (1/7 of the input) can be missed, which costs space, never correctness.
    func compress(_ input: UnsafeRawBufferPointer, limit: Int) -> UnsafeRawBufferPointer? {
        if input.count >= Self.probeThreshold, !looksCompressible(input) { return nil }
        let bound = ZSTD_compressBound(input.count)
        let output = scratch(atLeast: bound)
        let written = ZSTD_compress2(compression, output.baseAddress, bound, input.baseAddress, input.count)
        guard ZSTD_isError(written) == 0, written < limit else { return nil }
        return UnsafeRawBufferPointer(rebasing: output[0..<written])
    }

    /// Whether samples of `input` compress by at least 1/32 at level 1.
    func looksCompressible(_ input: UnsafeRawBufferPointer) -> Bool {
        guard let source = input.baseAddress, let target = probeInput.baseAddress else { return true }
        let piece = Self.probeSampleBytes
        let lastStart = input.count - piece
        for sample in 0..<Self.probeSamples {
            let start = lastStart * sample / (Self.probeSamples - 1)
            (target + sample * piece).copyMemory(from: source + start, byteCount: piece)
        }
        let written = ZSTD_compressCCtx(
            probe,
            probeOutput.baseAddress,
            probeOutput.count,
            target,
            Self.probeBytes,
            1
        )
        return ZSTD_isError(written) == 0 && written < Self.probeBytes - Self.probeBytes / 32
    }

    /// Inputs at least this long are probed before being compressed.
    static let probeThreshold = 64 * 1024
    /// The number of samples the probe takes, first and last at the input's ends.
    static let probeSamples = 8
    /// The length of each sample.
    static let probeSampleBytes = 2048
    static var probeBytes: Int { probeSamples * probeSampleBytes }

    /// Decompresses `input` into `output`, which must be exactly the original size; returns false on any error.
    func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Bool {
        let produced = ZSTD_decompressDCtx(
            decompression,
            output.baseAddress,
            output.count,
            input.baseAddress,
            input.count
        )
        return ZSTD_isError(produced) == 0 && produced == output.count
    }
}
