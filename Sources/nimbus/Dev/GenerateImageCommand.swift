import ArgumentParser

/// `nimbus dev gen-image OUT --size 2GiB --seed 1`: writes a deterministic mixed disk image.
struct GenerateImageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gen-image",
        abstract: "Write a deterministic disk image of zeros, random and text-like extents."
    )

    @Argument(help: "The image file to write (replaced if it exists).")
    var path: String

    @Option(help: "The image size, e.g. 2GiB, 300MiB, 1048576.")
    var size = "256MiB"

    @Option(help: "The seed; the same seed and size give the same bytes.")
    var seed: UInt64 = 1

    @Option(help: "Percent of zero extents.")
    var zero: Int64 = 35

    @Option(help: "Percent of random extents.")
    var random: Int64 = 30

    @Option(help: "Percent of text-like extents.")
    var text: Int64 = 35

    @Flag(help: "Leave zero extents as holes instead of writing them.")
    var sparse = false

    @OptionGroup var output: OutputOptions

    mutating func run() async throws {
        guard let bytes = Units.parseSize(size), bytes >= 0 else {
            throw ValidationError("'\(size)' is not a size: write e.g. 2GiB, 300MiB or a number of bytes")
        }
        guard zero >= 0, random >= 0, text >= 0, zero + random + text > 0 else {
            throw ValidationError("the percentages must be non-negative and not all zero")
        }
        var generator = ImageGenerator(size: bytes, seed: seed)
        generator.mix = .init(zero: zero, random: random, text: text)
        generator.sparse = sparse
        let progress = ProgressBar(label: "generating", total: bytes, enabled: output.showsProgress)
        let summary = try await generator.write(to: path) { progress.update(completed: $0) }
        progress.finish()
        try output.emit(summary) {
            "wrote \(path): \(Units.bytes(summary.size)) in \(summary.extents) extents "
                + "(zeros \(Units.bytes(summary.zeroBytes)), random \(Units.bytes(summary.randomBytes)), "
                + "text \(Units.bytes(summary.textBytes)))"
        }
    }
}
