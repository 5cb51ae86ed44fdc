import CZstd
import Crypto
import Dispatch
import Foundation
import Synchronization

/// The CPU ceiling of a backup: the block codec's work alone, with no storage, on all cores.
///
/// Each block goes through the same steps, primitives and settings as the engine's backup
/// pipeline: a zero check, the keyed identity (HMAC-SHA256), zstd at the repository's level (the
/// raw block is kept unless zstd saves at least 1/32 of it) and sealing with AES-256-GCM (random
/// nonce, the identity and flags as associated data). Blocks are read from the image with `pread`
/// (the page cache, when the image was read before); nothing is packed, indexed or written.
struct CodecCeiling: Sendable {
    /// What the run did.
    struct Report: Codable, Sendable {
        var path: String
        var bytes: Int64
        var blockSize: Int
        var compressionLevel: Int
        var threads: Int
        var blocks: Int
        var zeroBlocks: Int
        var compressedBlocks: Int
        var sealedBytes: Int64
        var seconds: Double
        var mebibytesPerSecond: Double
    }

    /// The block size, as in the repository's config.
    var blockSize: Int
    /// The zstd level, as in the repository's config.
    var compressionLevel: Int
    /// The number of worker threads (one per core by default).
    var threads: Int

    private struct Totals {
        var zeroBlocks = 0
        var compressedBlocks = 0
        var sealedBytes: Int64 = 0
        var failure: CommandFailure?
    }

    /// Runs the codec over every block of the image at `path`.
    func run(path: String) throws -> Report {
        let file = try RawFile.openForReading(path)
        let size = try file.size()
        let blockCount = Int((size + Int64(blockSize) - 1) / Int64(blockSize))
        let dataKey = SymmetricKey(size: .bits256)
        let macKey = SymmetricKey(size: .bits256)
        let nextBlock = Atomic<Int>(0)
        let totals = Mutex(Totals())
        let workers = max(1, threads)
        let blockSize = self.blockSize
        let level = Int32(compressionLevel)

        let started = ContinuousClock.now
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            var local = Totals()
            do {
                try Self.work(
                    file: file,
                    size: size,
                    blockSize: blockSize,
                    blockCount: blockCount,
                    level: level,
                    keys: (dataKey, macKey),
                    next: nextBlock,
                    totals: &local
                )
            } catch let failure as CommandFailure {
                local.failure = failure
            } catch {
                local.failure = CommandFailure(.failure, "the codec failed: \(error)")
            }
            totals.withLock { shared in
                shared.zeroBlocks += local.zeroBlocks
                shared.compressedBlocks += local.compressedBlocks
                shared.sealedBytes += local.sealedBytes
                shared.failure = shared.failure ?? local.failure
            }
        }
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let result = totals.withLock { $0 }
        if let failure = result.failure { throw failure }
        return Report(
            path: path,
            bytes: size,
            blockSize: blockSize,
            compressionLevel: compressionLevel,
            threads: workers,
            blocks: blockCount,
            zeroBlocks: result.zeroBlocks,
            compressedBlocks: result.compressedBlocks,
            sealedBytes: result.sealedBytes,
            seconds: seconds,
            mebibytesPerSecond: seconds > 0 ? Double(size) / 1_048_576 / seconds : 0
        )
    }

    // One worker: takes block numbers from the shared counter until none are left.
    // swift-format-ignore: ParameterCount
    private static func work(
        file: RawFile,
        size: Int64,
        blockSize: Int,
        blockCount: Int,
        level: Int32,
        keys: (data: SymmetricKey, mac: SymmetricKey),
        next: borrowing Atomic<Int>,
        totals: inout Totals
    ) throws {
        guard let context = ZSTD_createCCtx() else { throw CommandFailure(.failure, "zstd is out of memory") }
        defer { ZSTD_freeCCtx(context) }
        ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, level)
        ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, 0)
        ZSTD_CCtx_setParameter(context, ZSTD_c_contentSizeFlag, 1)
        let input = UnsafeMutableRawBufferPointer.allocate(byteCount: blockSize, alignment: 4096)
        let bound = ZSTD_compressBound(blockSize)
        let output = UnsafeMutableRawBufferPointer.allocate(byteCount: bound, alignment: 16)
        defer {
            input.deallocate()
            output.deallocate()
        }
        while true {
            let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
            guard index < blockCount else { return }
            let offset = Int64(index) * Int64(blockSize)
            let length = Int(min(Int64(blockSize), size - offset))
            let block = UnsafeMutableRawBufferPointer(rebasing: input[0..<length])
            guard try file.read(into: block, at: offset) == length else {
                throw CommandFailure(.io, "'\(file.path)' ended early at block \(index): was it changed meanwhile?")
            }
            let raw = UnsafeRawBufferPointer(block)
            if Self.isAllZero(raw) {
                totals.zeroBlocks += 1
                continue
            }
            let identity = Data(HMAC<SHA256>.authenticationCode(for: raw, using: keys.mac))
            let written = ZSTD_compress2(context, output.baseAddress, bound, raw.baseAddress, length)
            let compressed = ZSTD_isError(written) == 0 && written < length - length / 32
            var associated = identity
            associated.append(compressed ? 1 : 0)
            let payload = compressed ? UnsafeRawBufferPointer(rebasing: output[0..<written]) : raw
            let sealed = try AES.GCM.seal(payload, using: keys.data, nonce: AES.GCM.Nonce(), authenticating: associated)
            totals.sealedBytes += Int64(sealed.ciphertext.count + 28)
            if compressed { totals.compressedBlocks += 1 }
        }
    }

    private static func isAllZero(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var accumulator: UInt64 = 0
        let words = bytes.count / 8
        for index in 0..<words {
            accumulator |= bytes.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self)
            if index & 511 == 511 && accumulator != 0 { return false }
        }
        for index in (words * 8)..<bytes.count { accumulator |= UInt64(bytes[index]) }
        return accumulator == 0
    }
}
