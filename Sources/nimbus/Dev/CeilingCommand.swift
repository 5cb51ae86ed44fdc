import ArgumentParser
import BackupRepository
import Foundation

/// `nimbus dev ceiling IMAGE`: how fast the engine's block codec alone goes over an image, on all cores.
///
/// Each block goes through the backup pipeline's own code (`BlockCodec`): the zero check, the keyed identity
/// (HMAC-SHA256), zstd at the repository's level (the raw block is kept unless zstd saves at least 1/32 of it)
/// and sealing with AES-256-GCM. Blocks are read from the image with `pread` (the page cache, when the image
/// was read before); nothing is packed, indexed or written.
struct CeilingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ceiling",
        abstract: "Run the block codec (identity, zstd, AES-256-GCM) alone over an image, on all cores."
    )

    @Argument(help: "The disk image.")
    var image: String

    @Option(help: ArgumentHelp("The block size (default: a new repository's).", valueName: "size"))
    var blockSize = "\(Repository.CreateOptions().blockSize)"

    @Option(help: ArgumentHelp("The zstd level (default: a new repository's).", valueName: "level"))
    var compressionLevel = Repository.CreateOptions().compressionLevel

    @Option(help: ArgumentHelp("Worker threads (default: one per core).", valueName: "count"))
    var threads = ProcessInfo.processInfo.activeProcessorCount

    @OptionGroup var output: OutputOptions

    mutating func run() async throws {
        guard let size = Units.parseSize(blockSize), let blockBytes = Int(exactly: size), blockBytes > 0 else {
            throw ValidationError("'\(blockSize)' is not a size: write e.g. 256KiB")
        }
        let workers = max(1, threads)
        let bytes = try FileDiskSource(path: image).size
        let result = try CodecCeiling.run(
            path: image,
            blockSize: blockBytes,
            compressionLevel: compressionLevel,
            threads: workers
        )
        let report = CeilingReport(
            path: image,
            bytes: bytes,
            blockSize: blockBytes,
            compressionLevel: compressionLevel,
            threads: workers,
            blocks: result.blocks,
            zeroBlocks: result.zeroBlocks,
            compressedBlocks: result.compressedBlocks,
            sealedBytes: Int64(result.storedBytes),
            seconds: result.seconds,
            mebibytesPerSecond: result.seconds > 0 ? Double(bytes) / 1_048_576 / result.seconds : 0
        )
        try output.emit(report) {
            "codec alone: \(Units.bytes(report.bytes)) in \(Units.duration(report.seconds)) on \(report.threads) "
                + "threads = \(Int(report.mebibytesPerSecond)) MiB/s (\(report.zeroBlocks) zero blocks, "
                + "\(report.compressedBlocks) compressed, \(Units.bytes(report.sealedBytes)) sealed)"
        }
    }
}
