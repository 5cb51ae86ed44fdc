import ArgumentParser
import BackupRepository
import Foundation

/// `nimbus dev ceiling IMAGE`: how fast the block codec alone goes over an image, on all cores.
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
        let ceiling = CodecCeiling(blockSize: blockBytes, compressionLevel: compressionLevel, threads: threads)
        let report = try ceiling.run(path: image)
        try output.emit(report) {
            "codec alone: \(Units.bytes(report.bytes)) in \(Units.duration(report.seconds)) on \(report.threads) "
                + "threads = \(Int(report.mebibytesPerSecond)) MiB/s (\(report.zeroBlocks) zero blocks, "
                + "\(report.compressedBlocks) compressed, \(Units.bytes(report.sealedBytes)) sealed)"
        }
    }
}
