import ArgumentParser

/// `nimbus repo …`: the native repository on a local folder.
struct RepoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repo",
        abstract: "Create, back up into, restore from and maintain a Nimbus repository.",
        subcommands: [
            InitCommand.self,
            CopyCommand.self,
            BackupImageCommand.self,
            BackupVMCommand.self,
            RestoreImageCommand.self,
            FilesCommand.self,
            ListCommand.self,
            ShowCommand.self,
            VerifyCommand.self,
            ForgetCommand.self,
            PruneCommand.self,
            IndexCommand.self,
            StatsCommand.self,
            KeyCommand.self,
            LocksCommand.self,
            UnlockCommand.self,
        ]
    )
}
