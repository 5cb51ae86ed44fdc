import ArgumentParser
import BackupRepository
import Foundation

/// `nimbus repo unlock --stale | --all`: removes locks left by holders that are gone.
struct UnlockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unlock",
        abstract: "Remove stale locks (--stale) or every lock (--all); without a flag, list the locks.",
        discussion: """
            --stale removes only locks that block nobody anyway: not refreshed for 30 minutes, or held \
            by a process of this host that no longer runs. --all also removes live locks: use it only \
            when you know that no backup, restore or maintenance command is running against the \
            repository. Needs no password.
            """
    )

    @OptionGroup var repository: RepositoryOptions

    @Flag(help: "Remove the stale locks.")
    var stale = false

    @Flag(help: "Remove every lock, live or stale (only when no holder is running).")
    var all = false

    @OptionGroup var output: OutputOptions

    /// What `unlock --json` prints.
    struct Report: Encodable {
        /// The lock objects removed (empty when only listing).
        var removed: [String]
        /// The locks left.
        var locks: [LockListing]
    }

    func validate() throws {
        if stale && all { throw ValidationError("give either --stale or --all, not both") }
    }

    mutating func run() async throws {
        let locks = RepositoryLocks(store: try await repository.store())
        try await locks.requireRepository()
        let removed: [String]
        if all {
            removed = try await locks.removeAll()
        } else if stale {
            removed = try await locks.removeStale()
        } else {
            removed = []
        }
        let left = try await locks.list().map(LockListing.init)
        let listing = stale || all
        try output.emit(Report(removed: removed, locks: left)) {
            var lines: [String] = []
            if listing {
                lines.append(removed.isEmpty ? "no lock removed" : "removed \(removed.count) lock(s)")
                lines += removed.map { "  \($0)" }
            }
            if !left.isEmpty || !listing { lines.append(LockListing.render(left)) }
            if !listing && left.contains(where: { $0.state == "stale" }) {
                lines.append("remove the stale locks with `nimbus repo unlock --stale`")
            }
            return lines.joined(separator: "\n")
        }
    }
}
