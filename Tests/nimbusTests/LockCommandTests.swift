import BackupRepository
import Foundation
import Testing

/// `nimbus repo locks` shows who holds each lock; `nimbus repo unlock --stale | --all` removes them.
@Suite struct LockCommandTests {
    let nimbus = NimbusProcess(environment: ["NIMBUS_PASSWORD": "correct horse"])

    @Test func locksListsHoldersAndUnlockStaleRemovesOnlyStaleLocks() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let repo = folder.path("repo")
        #expect(try await nimbus.initRepository(repo).status == 0)
        let store = try LocalFolderStore(root: repo, create: false)

        // A lock whose holder was not heard of for an hour, and a live lock of another host.
        var old = LockOptions()
        old.host = "gone-host"
        old.now = { Date().addingTimeInterval(-3_600) }
        let stale = try await RepositoryLocks(store: store, options: old).acquire(.exclusive, purpose: "prune")
        var live = LockOptions()
        live.host = "backup-host"
        live.pid = 4242
        live.holder = "worker"
        let held = try await RepositoryLocks(store: store, options: live).acquire(.shared, purpose: "backup")

        // No password is needed to look at locks.
        let anonymous = NimbusProcess()
        let listed = try await anonymous.run(["repo", "locks", "--repo", repo, "--json"])
        #expect(listed.status == 0, "\(listed.standardError)")
        let entries = try listed.jsonArray()
        let byKey = Dictionary(uniqueKeysWithValues: entries.map { ($0["key"] as? String ?? "", $0) })
        #expect(byKey[held.key]?["host"] as? String == "backup-host")
        #expect(byKey[held.key]?["pid"] as? Int == 4242)
        #expect(byKey[held.key]?["kind"] as? String == "shared")
        #expect(byKey[held.key]?["purpose"] as? String == "backup")
        #expect(byKey[held.key]?["state"] as? String == "live")
        #expect(byKey[stale.key]?["state"] as? String == "stale")
        #expect(byKey[stale.key]?["created"] != nil && byKey[stale.key]?["refreshed"] != nil)

        let table = try await anonymous.run(["repo", "locks", "--repo", repo])
        #expect(table.standardOutput.contains("backup-host") && table.standardOutput.contains("stale"))
        // Without a flag, unlock only lists, and says how to remove the stale ones.
        let dry = try await anonymous.run(["repo", "unlock", "--repo", repo])
        #expect(dry.status == 0 && dry.standardOutput.contains("unlock --stale"))
        #expect(try await RepositoryLocks(store: store).list().count == 2)

        let unlocked = try await anonymous.run(["repo", "unlock", "--repo", repo, "--stale", "--json"])
        #expect(unlocked.status == 0, "\(unlocked.standardError)")
        #expect(try unlocked.jsonObject()["removed"] as? [String] == [stale.key])
        #expect(try await RepositoryLocks(store: store).list().map(\.key) == [held.key])

        let all = try await anonymous.run(["repo", "unlock", "--repo", repo, "--all"])
        #expect(all.status == 0 && all.standardOutput.contains("removed 1 lock"))
        #expect(try await RepositoryLocks(store: store).list().isEmpty)
    }

    @Test func aLockErrorNamesCommandsThatExist() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let repo = folder.path("repo")
        #expect(try await nimbus.initRepository(repo).status == 0)
        var pruner = LockOptions()
        pruner.host = "prune-host"
        let store = try LocalFolderStore(root: repo, create: false)
        let prune = try await RepositoryLocks(store: store, options: pruner).acquire(.exclusive, purpose: "prune")
        let refused = try await nimbus.run(["repo", "verify", "--repo", repo])
        #expect(refused.status == 7, "\(refused.standardError)")
        #expect(refused.standardError.contains("prune-host"))
        // Every command the advice names runs.
        for command in ["locks", "unlock"] {
            #expect(refused.standardError.contains("`nimbus repo \(command)"))
            let run = try await NimbusProcess().run(["repo", command, "--repo", repo])
            #expect(run.status == 0, "\(command): \(run.standardError)")
        }
        try await prune.release()
    }

    @Test func locksAndUnlockInAFolderThatIsNotARepositoryExitNotARepository() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let empty = folder.path("empty")
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        for arguments in [["locks"], ["unlock"], ["unlock", "--all"]] {
            let run = try await NimbusProcess().run(["repo"] + arguments + ["--repo", empty])
            #expect(run.status == 4, "\(arguments): \(run.standardError)")
            #expect(run.standardError.contains("not a Nimbus repository"))
        }
    }
}
