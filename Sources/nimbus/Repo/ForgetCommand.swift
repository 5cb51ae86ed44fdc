import ArgumentParser
import BackupRepository
import Foundation

/// `nimbus repo forget RP… | --keep-last N --keep-daily N … [--dry-run]`.
struct ForgetCommand: StoppableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forget",
        abstract: "Delete restore points by ID or by retention rules (their data goes at the next prune).",
        discussion: """
            Rules apply per group of restore points (by default the metadata fields vm and disk); a \
            restore point is kept if any rule keeps it. Calendar periods are in UTC.
            """
    )

    static let afterInterruption =
        "forget stopped and released its lock; some of the restore points chosen may already be gone, "
        + "and running forget again finishes the job"

    @OptionGroup var repository: RepositoryOptions

    @Argument(help: "Restore points to delete (IDs or unique prefixes); or give retention rules instead.")
    var restorePoints: [String] = []

    @Option(help: ArgumentHelp("Keep the newest N restore points.", valueName: "n")) var keepLast = 0
    @Option(help: ArgumentHelp("Keep the newest of each of the last N hours.", valueName: "n")) var keepHourly = 0
    @Option(help: ArgumentHelp("Keep the newest of each of the last N days.", valueName: "n")) var keepDaily = 0
    @Option(help: ArgumentHelp("Keep the newest of each of the last N weeks.", valueName: "n")) var keepWeekly = 0
    @Option(help: ArgumentHelp("Keep the newest of each of the last N months.", valueName: "n")) var keepMonthly = 0
    @Option(help: ArgumentHelp("Keep the newest of each of the last N years.", valueName: "n")) var keepYearly = 0

    @Option(help: ArgumentHelp("Keep everything newer than this, e.g. 36h, 14d, 2w.", valueName: "duration"))
    var keepWithin: String?

    @Option(help: ArgumentHelp("Keep restore points with this tag (metadata 'tags'; repeatable).", valueName: "tag"))
    var keepTag: [String] = []

    @Option(
        help: ArgumentHelp(
            "Metadata fields that group restore points without a VM, comma-separated (VM restore points are "
                + "grouped by VM resource ID).",
            valueName: "keys"
        )
    )
    var groupBy = "vm,disk"

    @Flag(help: "Show what would be deleted without deleting anything.")
    var dryRun = false

    @OptionGroup var output: OutputOptions

    private var hasRules: Bool {
        keepLast > 0 || keepHourly > 0 || keepDaily > 0 || keepWeekly > 0 || keepMonthly > 0 || keepYearly > 0
            || keepWithin != nil || !keepTag.isEmpty
    }

    func validate() throws {
        if restorePoints.isEmpty && !hasRules {
            throw ValidationError("name restore points to forget, or give retention rules such as --keep-last 7")
        }
        if !restorePoints.isEmpty && hasRules {
            throw ValidationError("give either restore points or retention rules, not both")
        }
    }

    mutating func run() async throws {
        let opened = try await repository.open()
        let result: ForgetResult
        if restorePoints.isEmpty {
            var policy = RetentionPolicy(
                keepLast: keepLast,
                keepHourly: keepHourly,
                keepDaily: keepDaily,
                keepWeekly: keepWeekly,
                keepMonthly: keepMonthly,
                keepYearly: keepYearly,
                keepTags: Set(keepTag)
            )
            if let keepWithin { policy.keepWithin = try Self.parseDuration(keepWithin) }
            let keys = groupBy.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            result = try await opened.forget(
                policy: policy,
                now: Date(),
                grouping: .byVM(otherwise: .metadataKeys(keys.filter { !$0.isEmpty })),
                dryRun: dryRun,
                logger: Log.logger
            )
        } else {
            var ids: [RestorePointID] = []
            for name in restorePoints { ids.append(try await opened.restorePoint(named: name).id) }
            result = try await opened.forget(ids, dryRun: dryRun, logger: Log.logger)
        }
        try output.emit(result) {
            var lines: [String] = []
            if let plan = result.plan {
                for kept in plan.kept {
                    let reasons = kept.reasons.map(\.description).joined(separator: ", ")
                    lines.append(
                        "keep    \(kept.candidate.id.prefix(12))  \(DateText.short(kept.candidate.time))  \(reasons)"
                    )
                }
            }
            let verb = result.dryRun ? "would forget" : "forgot"
            for id in result.removed { lines.append("\(result.dryRun ? "remove" : "removed") \(id.prefix(12))") }
            lines.append(
                "\(verb) \(result.removed.count) restore point\(result.removed.count == 1 ? "" : "s")"
                    + (result.dryRun ? "" : "; run `nimbus repo prune` to reclaim their space")
            )
            return lines.joined(separator: "\n")
        }
    }

    /// Parses `90m`, `36h`, `14d`, `2w` or plain seconds.
    static func parseDuration(_ text: String) throws -> TimeInterval {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800]
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        if let last = trimmed.last, let scale = units[last], let value = Double(trimmed.dropLast()), value >= 0 {
            return value * scale
        }
        if let seconds = Double(trimmed), seconds >= 0 { return seconds }
        throw ValidationError("'\(text)' is not a duration: write e.g. 36h, 14d or 2w")
    }
}
