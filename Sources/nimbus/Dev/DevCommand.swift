import ArgumentParser

/// Hidden developer tools used by the demo, the tests and the benchmark.
struct DevCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev",
        abstract: "Developer tools: test images, mutations and the codec's speed limit.",
        shouldDisplay: false,
        subcommands: [
            GenerateImageCommand.self,
            MutateImageCommand.self,
        ]
    )
}
