import ArgumentParser
import BackupRepository
import FileRestore

/// `nimbus repo files partitions RP[:disk]`.
struct FilesPartitionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "partitions",
        abstract: "List a restore point's partitions and the file systems they hold."
    )

    @OptionGroup var repository: RepositoryOptions

    @Argument(help: "The restore point: RP[:disk].")
    var target: String

    @OptionGroup var format: OutputOptions

    /// One line of the listing.
    struct Row: Encodable {
        var partition: Partition
        var fileSystem: String?
    }

    mutating func run() async throws {
        let parsed = try FileTarget(parsing: target)
        let opened = try await repository.open()
        let point = try await opened.restorePoint(named: parsed.restorePoint)
        let rows = try await opened.withDiskReader(point.id) { reader in
            let disk = DiskReaderByteSource(reader)
            var rows: [Row] = []
            for partition in try await PartitionTable.read(disk) {
                rows.append(
                    Row(partition: partition, fileSystem: await FileSystemProbe.detect(try partition.source(on: disk)))
                )
            }
            return rows
        }
        try format.emit(rows) {
            rows.map { row in
                let p = row.partition
                let type = p.typeName ?? p.type
                return "\(p.number)\t\(p.scheme)\t\(Units.bytes(Int64(p.size)))\tat \(p.offset)\t\(type)\t"
                    + (row.fileSystem ?? "unknown") + (p.name.map { "\t\($0)" } ?? "")
            }.joined(separator: "\n")
        }
    }
}
