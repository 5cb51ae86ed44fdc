import CZstd
import Foundation

/// One-shot zstd helpers for metadata objects (index objects).
enum Zstd {
    static func compress(_ input: [UInt8], level: Int32 = 3) -> Data {
        let bound = ZSTD_compressBound(input.count)
        var output = Data(count: bound)
        let written = output.withUnsafeMutableBytes { out in
            input.withUnsafeBytes { inp in
                ZSTD_compress(out.baseAddress, bound, inp.baseAddress, inp.count, level)
            }
        }
        precondition(ZSTD_isError(written) == 0, "zstd failed to compress into a buffer of its own bound")
        output.count = written
        return output
    }

    /// Decompresses one frame whose content size is recorded, refusing frames larger than `limit`.
    static func decompress(_ input: Data, limit: Int) -> [UInt8]? {
        input.withUnsafeBytes { inp -> [UInt8]? in
            let size = ZSTD_getFrameContentSize(inp.baseAddress, inp.count)
            guard size != ZSTD_CONTENTSIZE_ERROR, size != ZSTD_CONTENTSIZE_UNKNOWN, size <= UInt64(limit) else {
                return nil
            }
            var output = [UInt8](repeating: 0, count: Int(size))
            let produced = output.withUnsafeMutableBytes { out in
                ZSTD_decompress(out.baseAddress, out.count, inp.baseAddress, inp.count)
            }
            guard ZSTD_isError(produced) == 0, produced == Int(size) else { return nil }
            return output
        }
    }
}
