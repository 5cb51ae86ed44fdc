import ArgumentParser

/// `nimbus repo files …`: browse, search and copy files out of a restore point without restoring the disk.
struct FilesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "files",
        abstract: "Browse, search and copy files out of a restore point without restoring its disk.",
        discussion: """
            A restore point is named RP[:disk[:partition]]: RP is an ID, a unique prefix of one, or 'latest'; \
            disk is the disk's number (0); partition is the number `files partitions` shows (default: the \
            largest partition with a file system Nimbus reads).
            """,
        subcommands: [FilesPartitionsCommand.self, FilesListCommand.self, FilesFindCommand.self, FilesGetCommand.self]
    )
}
