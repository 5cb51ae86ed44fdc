import ArgumentParser
import Foundation

/// `nimbus dev ceiling IMAGE`: how fast the block codec alone goes over an image, on all cores.
struct CeilingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ceiling",
        abstract: "Run the block codec (identity, zstd, AES-256-GCM) alone over an image, on all cores."
    )

    @Argument(help: "The disk image.")
    var image: String

    @Option(help: ArgumentHelp("The block size (the repository default unless given).", valueName: "size"))
    var blockSize = "256KiB"

    @Option(help: ArgumentHelp("The zstd level.", valueName: "level"))
    var compressionLevel = 1

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
