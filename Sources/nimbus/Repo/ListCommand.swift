import ArgumentParser
import BackupRepository
import Foundation

/// `nimbus repo list`: the restore points, oldest first.
struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the restore points, oldest first."
    )

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var output: OutputOptions

    /// One restore point as `list --json` prints it.
    struct Entry: Encodable {
        var id: String
        var created: Date
        /// The size of all disks together.
        var diskSize: Int64
        var disks: Int
        var vm: String?
        var vmResourceID: String?
        var parent: String?
        var bytesStored: Int64
        var metadata: JSONValue

        init(_ point: RestorePoint) {
            id = point.id.hex
            created = point.created
            diskSize = point.totalDiskSize
            disks = point.disks.count
            vm = point.vm?.name
            vmResourceID = point.vm?.resourceID
            parent = point.parent?.hex
            bytesStored = point.statistics.bytesStored
            metadata = point.metadataValue
        }
    }

    mutating func run() async throws {
        let opened = try await repository.open()
        let entries = try await opened.listRestorePoints().map(Entry.init)
        try output.emit(entries) {
            guard !entries.isEmpty else { return "no restore points yet" }
            var table = TextTable(header: [
                "restore point", "created (UTC)", "VM", "disks", "size", "new data", "parent", "metadata",
            ])
            for entry in entries {
                table.rows.append([
                    String(entry.id.prefix(12)),
                    DateText.short(entry.created),
                    entry.vm ?? "-",
                    String(entry.disks),
                    Units.bytes(entry.diskSize),
                    Units.bytes(entry.bytesStored),
                    entry.parent.map { String($0.prefix(12)) } ?? "-",
                    entry.metadata.summary,
                ])
            }
            return table.render()
        }
    }
}
