import ArgumentParser
import BackupRepository

/// `nimbus repo index rebuild`: writes the index again from the pack trailers.
struct IndexRebuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild",
        abstract: "Rebuild the index from the packs alone, replacing every index object.",
        discussion: """
            Reads the trailer of every pack, writes new index objects listing every block, then deletes \
            the old index objects. Use it when verify reports blocks or packs that no index object lists. \
            Takes the repository's exclusive lock (exit status 7 while a backup or prune runs). Safe to \
            interrupt at any point: rerun it.
            """
    )

    @OptionGroup var repository: RepositoryOptions

    @OptionGroup var output: OutputOptions

    mutating func run() async throws {
        let opened = try await repository.open()
        let report = try await opened.rebuildIndex(logger: Log.logger)
        try output.emit(report) {
            var lines = [
                "index rebuilt: \(report.packsRead) packs read, \(report.blocksIndexed) blocks in "
                    + "\(report.indexObjectsWritten) new index objects, \(report.indexObjectsDeleted) old ones deleted"
            ]
            for pack in report.unreadablePacks {
                lines.append("  \(pack): its trailer cannot be read; kept the old index's entries for it")
            }
            if !report.unreadablePacks.isEmpty { lines.append("run `nimbus repo verify --full` next") }
            return lines.joined(separator: "\n")
        }
    }
}
