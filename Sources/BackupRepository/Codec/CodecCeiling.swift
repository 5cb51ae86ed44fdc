import Crypto
import Foundation

/// Measures the raw cost of the block pipeline — identity, zstd and sealing, with no I/O — for benchmarks.
package enum CodecCeiling {
    /// The outcome of one measurement.
    package struct Result: Sendable {
        /// Seconds spent on one core.
        package var seconds: Double
        /// Bytes after compression and sealing (zero blocks excluded).
        package var storedBytes: Int
        /// Blocks processed (zero blocks included).
        package var blocks: Int
    }

    /// Runs identity + compression + sealing over `data` cut into `blockSize` blocks on the calling thread.
    package static func measure(_ data: Data, blockSize: Int, compressionLevel: Int) throws -> Result {
        let codec = BlockCodec(keys: .random(encrypted: true), compressionLevel: compressionLevel)
        var stored = 0
        var blocks = 0
        let started = ContinuousClock.now
        try data.withUnsafeBytes { whole in
            var offset = 0
            while offset < whole.count {
                let length = min(blockSize, whole.count - offset)
                let block = UnsafeRawBufferPointer(rebasing: whole[offset..<offset + length])
                blocks += 1
                offset += length
                if isAllZero(block) { continue }
                let id = codec.identity(of: block)
                stored += try codec.encode(block, id: id).sealed.count
            }
        }
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Result(seconds: seconds, storedBytes: stored, blocks: blocks)
    }
}
