import ArgumentParser

/// `nimbus repo key add|list|remove`: the repository's passwords.
struct KeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key",
        abstract: "Manage the passwords that open a repository.",
        subcommands: [
            KeyAddCommand.self,
            KeyListCommand.self,
            KeyRemoveCommand.self,
        ]
    )
}
