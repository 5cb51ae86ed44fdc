import ArgumentParser
import BackupRepository

/// `nimbus repo verify [--full]`: which restore points are intact, which are damaged, and why.
struct VerifyCommand: StoppableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the repository and name every damaged restore point and object.",
        discussion: """
            The quick check (default) makes sure every object a restore point needs exists with a \
            plausible size. --full also reads every pack, decrypts every block and checks its identity. \
            Also checks the key objects: a damaged one counts as damage, and a key weaker than the \
            default key derivation is reported with how to replace it. Exit status 5 when anything is damaged.
            """
    )

    static let afterInterruption =
        "the check stopped and released its lock; nothing was changed"

    @OptionGroup var repository: RepositoryOptions

    @Flag(help: "Read, decrypt and re-hash every block (reads the whole repository).")
    var full = false

    @OptionGroup var output: OutputOptions

    mutating func run() async throws {
        let opened = try await repository.open()
        let report = try await opened.verify(full ? .full : .quick, logger: Log.logger)
        let keyProblems = try await opened.keyProblems()
        let damagedKeys = keyProblems.filter { $0.kind == .damaged }
        if output.json {
            for problem in keyProblems { Terminal.writeToStandardError("nimbus: warning: \(problem.message)\n") }
        }
        try output.emit(report) {
            var lines = [
                "\(full ? "full" : "quick") check: \(report.restorePoints.count) restore points, "
                    + "\(report.packsChecked) packs, \(report.blocksChecked) blocks, \(Units.bytes(report.bytesRead)) read"
            ]
            for point in report.restorePoints {
                lines.append("  \(point.id)  \(point.isIntact ? "intact" : "DAMAGED (\(point.problemCount) problems)")")
                for problem in point.problems.prefix(5) { lines.append("      \(problem)") }
            }
            for problem in report.repositoryProblems.prefix(10) { lines.append("  repository: \(problem)") }
            for problem in keyProblems {
                lines.append("  key\(problem.kind == .weak ? " (warning)" : ""): \(problem.message)")
            }
            lines.append(report.isHealthy && damagedKeys.isEmpty ? "no problems found" : "PROBLEMS FOUND")
            return lines.joined(separator: "\n")
        }
        if report.isHealthy, let first = damagedKeys.first {
            throw CommandFailure(.damaged, "the repository's keys are damaged: \(first.message)")
        }
        guard report.isHealthy else {
            let damaged = report.damagedRestorePoints
            let first =
                (report.restorePoints.first { !$0.isIntact }?.problems.first ?? report.repositoryProblems.first)
                .map { ": first problem: \($0)" } ?? ""
            guard damaged.isEmpty else {
                throw CommandFailure(
                    .damaged,
                    "the repository is damaged (\(damaged.count) of \(report.restorePoints.count) restore points "
                        + "affected)\(first); restore from a copy, or forget the damaged restore points and prune"
                )
            }
            throw CommandFailure(
                .damaged,
                "every restore point is intact, but the repository has problems\(first); "
                    + "follow the advice given, then run `nimbus repo verify --full` again"
            )
        }
    }
}
