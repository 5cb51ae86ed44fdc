import Appliance
import ArgumentParser

/// `nimbus appliance init --data DIR`: creates the data folder, its master key and catalog, and prints the one
/// admin API token.
struct ApplianceInitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create an appliance data folder and print its admin API token (shown only once)."
    )

    @OptionGroup var folder: ApplianceDataOptions
    @OptionGroup var output: OutputOptions

    /// What `init --json` prints.
    struct Report: Encodable {
        var data: String
        var token: String
    }

    mutating func run() async throws {
        let created = try await ApplianceData.initialize(directory: folder.data)
        let directory = created.data.directory
        try output.emit(Report(data: directory, token: created.adminToken)) {
            "created the appliance data folder \(directory)\n"
                + "  master key \(created.data.masterKey.path): keep a copy, the catalog's secrets need it\n"
                + "  admin API token (shown only this once; only its hash is stored):\n"
                + "  \(created.adminToken)"
        }
    }
}
