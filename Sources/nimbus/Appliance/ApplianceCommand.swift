import ArgumentParser

/// `nimbus appliance …`: the backup appliance's data folder.
struct ApplianceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "appliance",
        abstract: "Create and inspect the backup appliance's data folder (its catalog and master key).",
        subcommands: [
            ApplianceInitCommand.self,
            ApplianceStatusCommand.self,
        ]
    )
}

/// `--data DIR`: the appliance's data folder.
struct ApplianceDataOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp("The appliance's data folder (catalog.sqlite and master.key).", valueName: "dir")
    )
    var data: String
}
