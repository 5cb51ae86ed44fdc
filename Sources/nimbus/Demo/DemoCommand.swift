import ArgumentParser

/// `nimbus demo`: the engine's whole cycle on a generated image, in a temporary folder.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Back up, change, back up again and restore a generated disk image, then clean up."
    )

    mutating func run() async throws {
        throw CommandFailure(.failure, "the demo needs the repository engine, which is not built in yet")
    }
}
