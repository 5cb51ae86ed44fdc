import ArgumentParser

/// `nimbus repo index rebuild`: the repository's index of where blocks live.
struct IndexCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Maintain the index that says which pack holds each block.",
        subcommands: [IndexRebuildCommand.self]
    )
}
