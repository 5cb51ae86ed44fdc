import ArgumentParser
import BackupRepository

/// `nimbus repo key remove ID`: removes a password (never the last one).
struct KeyRemoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: "Remove a password from the repository (the last one cannot be removed)."
    )

    @OptionGroup var repository: RepositoryOptions

    @Argument(help: "The key ID, as `nimbus repo key list` shows it.")
    var id: String

    @OptionGroup var output: OutputOptions

    /// What `key remove --json` prints.
    struct Report: Encodable {
        var removed: String
    }

    mutating func run() async throws {
        let opened = try await repository.open()
        try await opened.removeKey(id: id)
        try output.emit(Report(removed: id)) { "removed key \(id)" }
    }
}
