import Appliance
import ArgumentParser

/// `nimbus appliance status --data DIR`: what the catalog holds.
struct ApplianceStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show how many accounts, VMs, policies and sessions the appliance's catalog holds."
    )

    @OptionGroup var folder: ApplianceDataOptions
    @OptionGroup var output: OutputOptions

    /// What `status --json` prints.
    struct Report: Encodable {
        var data: String
        var catalog: String
        var counts: Catalog.Counts
    }

    mutating func run() async throws {
        let data = try await ApplianceData.open(directory: folder.data)
        let counts = try await data.catalog.counts()
        try output.emit(Report(data: data.directory, catalog: data.catalog.path, counts: counts)) {
            var table = TextTable(header: ["", "count"])
            table.rows = [
                ["accounts", String(counts.accounts)],
                ["VMs", String(counts.vms)],
                ["VMs deleted", String(counts.deletedVMs)],
                ["repositories", String(counts.repositories)],
                ["policies", String(counts.policies)],
            ]
            for status in SessionRecord.Status.allCases {
                table.rows.append(["sessions \(status.rawValue)", String(counts.sessions[status.rawValue] ?? 0)])
            }
            return "appliance catalog \(data.catalog.path)\n" + table.render()
        }
    }
}
