import ArgumentParser
import BackupRepository
import Foundation

/// `nimbus repo locks`: who holds each lock of the repository, and which locks are stale.
struct LocksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "locks",
        abstract: "List the repository's locks: holder, host, process, kind, times, and whether each is stale.",
        discussion: """
            A lock is stale when it was not refreshed for 30 minutes, or when it belongs to a process of \
            this host that no longer runs. Stale locks block nobody; `nimbus repo unlock --stale` removes \
            them. Needs no password.
            """
    )

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var output: OutputOptions

    mutating func run() async throws {
        let locks = RepositoryLocks(store: try await repository.store())
        try await locks.requireRepository()
        let listing = try await locks.list().map(LockListing.init)
        try output.emit(listing) { LockListing.render(listing) }
    }
}
