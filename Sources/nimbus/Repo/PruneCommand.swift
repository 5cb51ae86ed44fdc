import ArgumentParser
import BackupRepository

/// `nimbus repo prune [--dry-run]`: reclaims the space of forgotten restore points.
struct PruneCommand: StoppableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Delete data no restore point needs and repack mostly unused packs.",
        discussion: """
            Takes the repository's exclusive lock: it waits for running backups only as long as --wait \
            allows, and fails with exit status 7 when they still run. Objects younger than the grace \
            period are left for a later prune. Safe to interrupt at any point.
            """
    )

    static let afterInterruption =
        "prune stopped and released its lock; the repository is valid, and running prune again finishes the job"

    @OptionGroup var repository: RepositoryOptions

    @Flag(help: "Report what would be deleted and repacked without changing anything.")
    var dryRun = false

    @Option(
        help: ArgumentHelp("Repack packs whose live share is below this fraction (0 disables).", valueName: "ratio")
    )
    var repackBelow = 0.5

    @Option(help: ArgumentHelp("Seconds to wait for running backups to finish.", valueName: "seconds"))
    var wait = 0

    @OptionGroup var output: OutputOptions

    mutating func run() async throws {
        guard (0...1).contains(repackBelow) else { throw ValidationError("--repack-below must be between 0 and 1") }
        let opened = try await repository.open()
        var options = PruneOptions()
        options.dryRun = dryRun
        options.repackBelowLiveRatio = repackBelow
        options.lockWait = .seconds(max(0, wait))
        let report = try await opened.prune(options: options, logger: Log.logger)
        try output.emit(report) {
            """
            \(dryRun ? "dry run: nothing changed" : "pruned"): \(report.restorePoints) restore points, \
            \(report.liveBlocks) live blocks, \(report.unusedBlocks) unused
              packs: \(report.packsBefore) before (\(Units.bytes(report.bytesBefore))), \(report.packsDeleted) deleted, \
            \(report.packsRepacked) repacked into \(report.packsWritten), \(report.packsProtected) too young to touch
              space \(dryRun ? "to reclaim" : "reclaimed"): \(Units.bytes(report.reclaimedBytes))
            """
        }
    }
}
