import ArgumentParser
import BackupRepository

/// `nimbus dev mutate IMAGE --percent 1 --record ranges.json`: scattered writes, recorded.
struct MutateImageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mutate",
        abstract: "Overwrite a share of an image with scattered 4-256 KiB writes and record the changed ranges."
    )

    @Argument(help: "The image to change in place.")
    var image: String

    @Option(help: "The share of the image to overwrite, in percent.")
    var percent: Double = 1

    @Option(help: "The seed; the same seed gives the same writes.")
    var seed: UInt64 = 2

    @Option(help: "Write the changed ranges to this file as a JSON array of [offset, length].")
    var record: String?

    @OptionGroup var output: OutputOptions

    mutating func run() async throws {
        guard percent > 0, percent <= 100 else {
            throw ValidationError("--percent must be above 0 and at most 100")
        }
        let mutator = ImageMutator(percent: percent, seed: seed)
        let result = try await mutator.mutate(image)
        if let record { try result.ranges.save(to: record) }
        let summary = ImageMutator.Summary(
            path: image,
            writes: result.writes,
            bytesWritten: result.bytesWritten,
            rangesFile: record,
            ranges: result.ranges.ranges.count,
            changedBytes: result.ranges.byteCount
        )
        try output.emit(summary) {
            "changed \(image): \(result.writes) writes, \(Units.bytes(result.ranges.byteCount)) in "
                + "\(result.ranges.ranges.count) ranges" + (record.map { ", recorded in \($0)" } ?? "")
        }
    }
}
