import ArgumentParser

/// The one Nimbus executable: `nimbus repo|cloud|demo …`.
@main
struct Nimbus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nimbus",
        abstract: "Agentless, snapshot-based backup for Azure virtual machines.",
        subcommands: [Cloud.self]
    )
}
