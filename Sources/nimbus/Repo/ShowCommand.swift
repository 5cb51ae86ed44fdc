import ArgumentParser
import BackupRepository
import Foundation

/// `nimbus repo show RP`: one restore point in detail.
struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one restore point: its disk, its backup's totals and its metadata."
    )

    @OptionGroup var repository: RepositoryOptions

    @Argument(help: "The restore point: an ID, a unique prefix of one, or 'latest'.")
    var restorePoint: String

    @OptionGroup var output: OutputOptions

    /// What `show --json` prints.
    struct Report: Encodable {
        var id: String
        var created: Date
        var diskSize: Int64
        var blockSize: Int
        var parent: String?
        var metadata: JSONValue
        var backup: BackupProgress
    }

    mutating func run() async throws {
        let opened = try await repository.open()
        let point = try await opened.restorePoint(named: restorePoint)
        let metadata = point.metadataValue
        let report = Report(
            id: point.id.hex,
            created: point.created,
            diskSize: point.diskSize,
            blockSize: point.blockSize,
            parent: point.parent?.hex,
            metadata: metadata,
            backup: point.statistics
        )
        try output.emit(report) {
            let totals = point.statistics
            let metadataText = (try? OutputOptions.encode(metadata)) ?? "{}"
            return """
                restore point  \(point.id.hex)
                created        \(DateText.short(point.created)) UTC
                disk           \(Units.bytes(point.diskSize)) (\(point.diskSize) bytes), \
                \(Units.bytes(Int64(point.blockSize))) blocks
                parent         \(point.parent?.hex ?? "none")
                backup         read \(Units.bytes(totals.bytesRead)), stored \(Units.bytes(totals.bytesStored)) \
                in \(totals.packsWritten) packs; blocks \(totals.blocksNew) new, \
                \(totals.blocksDeduplicated) already stored, \(totals.blocksZero) zero, \
                \(totals.blocksSkipped) unchanged
                metadata       \(metadataText.replacingOccurrences(of: "\n", with: "\n               "))
                """
        }
    }
}
