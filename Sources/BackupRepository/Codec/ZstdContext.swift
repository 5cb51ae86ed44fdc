import CZstd

/// One zstd compression and decompression context with a scratch buffer, used by one task at a time.
///
/// `@unchecked Sendable`: the contexts are mutable C state; ``ZstdContextPool`` hands each instance to a
/// single task at a time and takes it back afterwards, so no two threads ever use it concurrently.
final class ZstdContext: @unchecked Sendable {
    let compression: OpaquePointer
    let decompression: OpaquePointer
    private(set) var scratch: UnsafeMutableRawBufferPointer

    init(level: Int32) {
        guard let cctx = ZSTD_createCCtx(), let dctx = ZSTD_createDCtx() else {
            fatalError("zstd could not allocate a context: out of memory")
        }
        compression = cctx
        decompression = dctx
        ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, level)
        ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 0)
        ZSTD_CCtx_setParameter(cctx, ZSTD_c_contentSizeFlag, 1)
        scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 0, alignment: 16)
    }

    deinit {
        ZSTD_freeCCtx(compression)
        ZSTD_freeDCtx(decompression)
        scratch.deallocate()
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
    func compress(_ input: UnsafeRawBufferPointer, limit: Int) -> UnsafeRawBufferPointer? {
        let bound = ZSTD_compressBound(input.count)
        let output = scratch(atLeast: bound)
        let written = ZSTD_compress2(compression, output.baseAddress, bound, input.baseAddress, input.count)
        guard ZSTD_isError(written) == 0, written < limit else { return nil }
        return UnsafeRawBufferPointer(rebasing: output[0..<written])
    }

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
