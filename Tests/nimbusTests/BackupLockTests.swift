import BackupRepository
import Foundation
import Testing

/// `nimbus repo backup-image` holds a shared repository lock, so it cannot run while prune holds the
/// exclusive one.
@Suite struct BackupLockTests {
    let nimbus = NimbusProcess(environment: ["NIMBUS_PASSWORD": "correct horse"])

    @Test func backupIsRefusedWhilePruneHoldsTheExclusiveLock() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let repo = folder.path("repo")
        let image = folder.path("disk.img")
        #expect(try await nimbus.initRepository(repo).status == 0)
        #expect(try await nimbus.run(["dev", "gen-image", image, "--size", "1MiB"]).status == 0)

        let locks = RepositoryLocks(store: try LocalFolderStore(root: repo, create: false))
        let prune = try await locks.acquire(.exclusive, purpose: "prune")
        let refused = try await nimbus.run(["repo", "backup-image", "--repo", repo, image])
        #expect(refused.status == 7, "\(refused.standardError)")
        #expect(refused.standardError.contains("lock"))
        #expect(try await nimbus.run(["repo", "list", "--repo", repo, "--json"]).jsonArray().isEmpty)

        try await prune.release()
        let accepted = try await nimbus.run(["repo", "backup-image", "--repo", repo, image])
        #expect(accepted.status == 0, "\(accepted.standardError)")
        #expect(try await locks.list().isEmpty)
    }
}
