import ArgumentParser
import BackupRepository
import Foundation

/// `nimbus repo copy --from A --to B RP…`: copies restore points into a linked (archive) repository, carrying
/// only the blocks it does not hold yet.
struct CopyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy restore points into a linked repository (made with `repo init --linked-to`).",
        discussion: "Only blocks the destination does not hold travel, so the first copy is a full one and later "
            + "copies carry the changes. Restore points already in the destination are left alone."
    )

    @Option(help: ArgumentHelp("The repository folder to copy from.", valueName: "dir"))
    var from: String

    @Option(help: ArgumentHelp("The password file of the --from repository.", valueName: "file"))
    var fromPasswordFile: String?

    @Option(help: ArgumentHelp("The linked repository folder to copy into.", valueName: "dir"))
    var to: String

    @Option(help: ArgumentHelp("The password file of the --to repository.", valueName: "file"))
    var toPasswordFile: String?

    @Argument(help: ArgumentHelp("Restore points: IDs, unique prefixes, or `latest`.", valueName: "restore-point"))
    var restorePoints: [String]

    @OptionGroup var output: OutputOptions

    mutating func run() async throws {
        let source = try await RepositoryFolder.open(from, passwordFile: fromPasswordFile, role: "source")
        let destination = try await RepositoryFolder.open(to, passwordFile: toPasswordFile, role: "destination")
        var ids: [RestorePointID] = []
        for name in restorePoints { ids.append(try await source.restorePoint(named: name).id) }
        let report = try await source.copy(restorePoints: ids, to: destination)
        try output.emit(report) {
            "copied \(report.restorePointsCopied.count) restore point(s) to \(to)"
                + (report.restorePointsPresent.isEmpty ? "" : " (\(report.restorePointsPresent.count) already there)")
                + "\n  \(report.blocksCopied) blocks and \(report.nodesCopied) tree nodes, "
                + "\(Units.bytes(report.bytesCopied)) in \(Units.duration(report.seconds)) "
                + "(\(Units.rate(bytes: report.bytesCopied, seconds: report.seconds)))\n"
                + "  \(report.blocksPresent) references already held; \(report.dataPacksWritten) data packs "
                + "(\(report.packsArchived) archived), \(report.treePacksWritten) tree packs"
        }
    }
}
