import ArgumentParser
import BackupRepository
import Foundation

/// `nimbus repo backup-image --repo DIR disk.img [--parent RP --changed-ranges FILE]`.
struct BackupImageCommand: StoppableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup-image",
        abstract: "Back up a disk image into a new restore point.",
        discussion: """
            With --parent and --changed-ranges (a JSON array of [offset, length] pairs), only the \
            blocks overlapping the changed ranges are read; the rest is taken from the parent. The new \
            restore point is always a complete view of the disk.
            """
    )

    static let afterInterruption =
        "the backup stopped and released its lock; no restore point was written and the repository is valid "
        + "(the next backup reuses the packs already stored)"

    @OptionGroup var repository: RepositoryOptions

    @Argument(help: "The disk image (a file or block device).")
    var image: String

    @Option(
        help: ArgumentHelp("The restore point this backup continues from (ID, prefix or 'latest').", valueName: "id")
    )
    var parent: String?

    @Option(help: ArgumentHelp("The byte ranges changed since --parent, as a JSON file.", valueName: "file"))
    var changedRanges: String?

    @OptionGroup var metadata: MetadataOptions
    @OptionGroup var output: OutputOptions

    /// What `backup-image --json` prints.
    struct Report: Encodable {
        var id: String
        var parent: String?
        var diskSize: Int64
        var bytesRead: Int64
        var bytesStored: Int64
        var metadataBytesWritten: Int64
        var blocksNew: Int
        var blocksDeduplicated: Int
        var blocksZero: Int
        var blocksSkipped: Int64
        var packsWritten: Int
        var seconds: Double
    }

    func validate() throws {
        if changedRanges != nil && parent == nil {
            throw ValidationError("--changed-ranges needs --parent: the ranges are changes since that restore point")
        }
    }

    mutating func run() async throws {
        let ranges = try changedRanges.map { try ChangedRanges.load(from: $0) }
        let metadata = try metadata.metadata()
        let opened = try await repository.open()
        let source = try FileDiskSource(path: image)
        var options = BackupOptions(metadata: metadata)
        if let parent {
            options.parent = try await opened.restorePoint(named: parent).id
        }
        options.changedRanges = ranges?.ranges
        let progress = ProgressBar(label: "backing up", total: source.size, enabled: output.showsProgress)
        options.progress = { totals in progress.update(completed: totals.bytesRead, total: totals.bytesToRead) }

        let result = try await opened.backup(source: source, options: options)
        progress.finish()
        let totals = result.statistics
        let report = Report(
            id: result.restorePoint.id.hex,
            parent: result.restorePoint.parent?.hex,
            diskSize: totals.diskSize,
            bytesRead: totals.bytesRead,
            bytesStored: totals.bytesStored,
            metadataBytesWritten: totals.metadataBytesWritten,
            blocksNew: totals.blocksNew,
            blocksDeduplicated: totals.blocksDeduplicated,
            blocksZero: totals.blocksZero,
            blocksSkipped: totals.blocksSkipped,
            packsWritten: totals.packsWritten,
            seconds: result.duration
        )
        try output.emit(report) {
            """
            created restore point \(report.id)\(report.parent.map { " (parent \($0.prefix(12)))" } ?? "")
              disk \(Units.bytes(totals.diskSize)): read \(Units.bytes(totals.bytesRead)), \
            stored \(Units.bytes(totals.bytesStored)) new data + \(Units.bytes(totals.metadataBytesWritten)) metadata \
            in \(totals.packsWritten) packs
              blocks: \(totals.blocksNew) new, \(totals.blocksDeduplicated) already stored, \
            \(totals.blocksZero) zero, \(totals.blocksSkipped) unchanged (not read)
              \(Units.duration(result.duration)), \(Units.rate(bytes: totals.bytesRead, seconds: result.duration)) read
            """
        }
    }
}
