import Dispatch
import Foundation
import Synchronization

/// Measures the raw cost of the block pipeline — the zero check, identity, zstd and sealing of the engine's own
/// ``BlockCodec``, with no packing or storage — for benchmarks (`nimbus dev ceiling`, `RepositoryBench`).
package enum CodecCeiling {
    /// The outcome of one measurement.
    package struct Result: Sendable {
        /// Wall-clock seconds of the codec work (reading included for ``run(path:blockSize:compressionLevel:threads:)``).
        package var seconds: Double
        /// Bytes after compression and sealing (zero blocks excluded).
        package var storedBytes: Int
        /// Blocks processed (zero blocks included).
        package var blocks: Int
        /// Blocks found all zero (not encoded).
        package var zeroBlocks: Int
        /// Blocks stored compressed.
        package var compressedBlocks: Int
    }

    /// Runs the codec over `data` cut into `blockSize` blocks on the calling thread.
    package static func measure(_ data: Data, blockSize: Int, compressionLevel: Int) throws -> Result {
        let codec = BlockCodec(keys: .random(encrypted: true), compressionLevel: compressionLevel)
        var totals = Result(seconds: 0, storedBytes: 0, blocks: 0, zeroBlocks: 0, compressedBlocks: 0)
        let started = ContinuousClock.now
        try data.withUnsafeBytes { whole in
            var offset = 0
            while offset < whole.count {
                let length = min(blockSize, whole.count - offset)
                try encode(UnsafeRawBufferPointer(rebasing: whole[offset..<offset + length]), codec, &totals)
                offset += length
            }
        }
        totals.seconds = seconds(since: started)
        return totals
    }

    /// Reads the file at `path` block by block with `pread` and runs the codec over every block on `threads`
    /// threads at once, as a backup's pipeline does, but storing nothing.
    /// - Throws: ``RepositoryError`` when the file cannot be read.
    package static func run(path: String, blockSize: Int, compressionLevel: Int, threads: Int) throws -> Result {
        let source = try FileDiskSource(path: path)
        let codec = BlockCodec(keys: .random(encrypted: true), compressionLevel: compressionLevel)
        let blockCount = Int((source.size + Int64(blockSize) - 1) / Int64(blockSize))
        let next = Atomic<Int>(0)
        let shared = Mutex<(Result, (any Error)?)>(
            (Result(seconds: 0, storedBytes: 0, blocks: 0, zeroBlocks: 0, compressedBlocks: 0), nil)
        )
        let started = ContinuousClock.now
        DispatchQueue.concurrentPerform(iterations: max(1, threads)) { _ in
            var totals = Result(seconds: 0, storedBytes: 0, blocks: 0, zeroBlocks: 0, compressedBlocks: 0)
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: blockSize, alignment: 64)
            defer { buffer.deallocate() }
            var failure: (any Error)?
            while failure == nil {
                let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard index < blockCount else { break }
                let offset = Int64(index) * Int64(blockSize)
                let block = UnsafeMutableRawBufferPointer(
                    rebasing: buffer[0..<Int(min(Int64(blockSize), source.size - offset))]
                )
                do {
                    try source.readBlocking(at: offset, into: block)
                    try encode(UnsafeRawBufferPointer(block), codec, &totals)
                } catch {
                    failure = error
                }
            }
            shared.withLock { state in
                state.0.storedBytes += totals.storedBytes
                state.0.blocks += totals.blocks
                state.0.zeroBlocks += totals.zeroBlocks
                state.0.compressedBlocks += totals.compressedBlocks
                if state.1 == nil { state.1 = failure }
            }
        }
        let elapsed = seconds(since: started)
        return try shared.withLock { state in
            if let failure = state.1 { throw failure }
            var result = state.0
            result.seconds = elapsed
            return result
        }
    }

    /// One block through the backup pipeline's codec steps: zero check, identity, compression and sealing.
    private static func encode(_ block: UnsafeRawBufferPointer, _ codec: BlockCodec, _ totals: inout Result) throws {
        totals.blocks += 1
        if isAllZero(block) {
            totals.zeroBlocks += 1
            return
        }
        let encoded = try codec.encode(block, id: codec.identity(of: block))
        totals.storedBytes += encoded.sealed.count
        if encoded.flags.contains(.compressed) { totals.compressedBlocks += 1 }
    }

    private static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return elapsed.inSeconds
    }
}
