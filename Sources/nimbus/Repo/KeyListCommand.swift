import ArgumentParser
import BackupRepository
import Foundation

/// `nimbus repo key list`: the repository's passwords; damaged key objects are named on standard error.
struct KeyListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the passwords (keys) of the repository."
    )

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var output: OutputOptions

    /// One key as `key list --json` prints it.
    struct Entry: Encodable {
        var id: String
        var label: String
        var created: Date
        var kdf: String
        var current: Bool

        init(_ key: KeyFile, current: Bool) {
            id = key.id
            label = key.label
            created = key.created
            kdf = "\(key.kdf) N=\(key.n) r=\(key.r) p=\(key.p)"
            self.current = current
        }
    }

    mutating func run() async throws {
        let opened = try await repository.open()
        let entries = try await opened.listKeys().map { Entry($0, current: $0.id == opened.openedWithKey) }
        // Damaged key objects are not listed as keys; say so on standard error.
        for problem in try await opened.keyProblems() where problem.kind == .damaged {
            Terminal.writeToStandardError("nimbus: warning: \(problem.message)\n")
        }
        try output.emit(entries) {
            var table = TextTable(header: ["", "key", "created", "label"])
            for entry in entries {
                table.rows.append([
                    entry.current ? "*" : "", entry.id, DateText.short(entry.created), entry.label,
                ])
            }
            return table.render() + "\n(* the key that opened the repository)"
        }
    }
}
