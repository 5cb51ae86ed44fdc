import Foundation
import Testing

/// `nimbus repo verify | forget | prune` run as a child process.
@Suite struct MaintenanceCommandTests {
    let nimbus = NimbusProcess(environment: ["NIMBUS_PASSWORD": "correct horse"])

    @Test func forgetPruneAndVerifyKeepTheLatestPointRestorable() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let repo = folder.path("repo")
        let image = folder.path("disk.img")
        #expect(try await nimbus.initRepository(repo).status == 0)
        #expect(try await nimbus.run(["dev", "gen-image", image, "--size", "2MiB"]).status == 0)
        #expect(try await nimbus.run(["repo", "backup-image", "--repo", repo, image]).status == 0)
        #expect(try await nimbus.run(["dev", "mutate", image, "--percent", "10", "--seed", "4"]).status == 0)
        // Creation times have millisecond resolution, and each run takes far longer than that: the second
        // restore point is the latest without any pause.
        #expect(try await nimbus.run(["repo", "backup-image", "--repo", repo, image]).status == 0)

        let dryRun = try await nimbus.run(["repo", "forget", "--repo", repo, "--keep-last", "1", "--dry-run", "--json"])
        #expect(dryRun.status == 0, "\(dryRun.standardError)")
        let plan = try dryRun.jsonObject()
        #expect(plan["dryRun"] as? Bool == true)
        #expect((plan["removed"] as? [String])?.count == 1)
        #expect(try await nimbus.run(["repo", "list", "--repo", repo, "--json"]).jsonArray().count == 2)

        #expect(try await nimbus.run(["repo", "forget", "--repo", repo, "--keep-last", "1"]).status == 0)
        #expect(try await nimbus.run(["repo", "list", "--repo", repo, "--json"]).jsonArray().count == 1)
        let prune = try await nimbus.run(["repo", "prune", "--repo", repo, "--json"])
        #expect(prune.status == 0, "\(prune.standardError)")
        #expect(try prune.jsonObject()["restorePoints"] as? Int == 1)

        let verify = try await nimbus.run(["repo", "verify", "--repo", repo, "--full", "--json"])
        #expect(verify.status == 0, "\(verify.standardError)")
        #expect(try verify.jsonObject()["mode"] as? String == "full")

        let restored = folder.path("restored.img")
        #expect(try await nimbus.run(["repo", "restore-image", "--repo", repo, "latest", restored]).status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: restored)) == Data(contentsOf: URL(fileURLWithPath: image)))
    }

    @Test func verifyNamesADeletedPackWithExitStatusFive() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let repo = folder.path("repo")
        let image = folder.path("disk.img")
        #expect(try await nimbus.initRepository(repo).status == 0)
        #expect(try await nimbus.run(["dev", "gen-image", image, "--size", "1MiB", "--zero", "0"]).status == 0)
        #expect(try await nimbus.run(["repo", "backup-image", "--repo", repo, image]).status == 0)
        let packs = FileManager.default.enumerator(atPath: repo + "/packs")?.allObjects as? [String] ?? []
        let pack = try #require(packs.first { $0.count > 60 })
        try FileManager.default.removeItem(atPath: repo + "/packs/" + pack)

        let result = try await nimbus.run(["repo", "verify", "--repo", repo])
        #expect(result.status == 5)
        #expect(result.standardError.contains("damaged"))
        #expect(result.standardOutput.contains("DAMAGED"))
    }

    @Test func forgetNeedsPointsOrRules() async throws {
        let result = try await nimbus.run(["repo", "forget", "--repo", "/nonexistent"])
        #expect(result.status == 64)
        #expect(result.standardError.contains("--keep-last"))
    }

    /// The first backup's index object is lost and its packs are old: verify says so and names the rebuild
    /// command, prune keeps the packs, the first restore point still restores, and the rebuild repairs it.
    @Test func aLostIndexObjectIsReportedAndPruneKeepsItsPacks() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let repo = folder.path("repo")
        let first = folder.path("first.img")
        let second = folder.path("second.img")
        #expect(try await nimbus.initRepository(repo).status == 0)
        for (image, seed) in [(first, "1"), (second, "2")] {
            let generated = ["dev", "gen-image", image, "--size", "2MiB", "--seed", seed, "--zero", "0"]
            #expect(try await nimbus.run(generated).status == 0)
        }
        let backup = try await nimbus.run(["repo", "backup-image", "--repo", repo, first, "--json"])
        #expect(backup.status == 0, "\(backup.standardError)")
        let point = try #require(try backup.jsonObject()["id"] as? String)
        let indexOfFirst = try FileManager.default.contentsOfDirectory(atPath: repo + "/index")
        #expect(try await nimbus.run(["repo", "backup-image", "--repo", repo, second]).status == 0)
        for name in indexOfFirst { try FileManager.default.removeItem(atPath: repo + "/index/" + name) }
        let old = Date().addingTimeInterval(-3 * 3600)
        for case let name as String in FileManager.default.enumerator(atPath: repo + "/packs")?.allObjects ?? [] {
            try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: repo + "/packs/" + name)
        }

        let verify = try await nimbus.run(["repo", "verify", "--repo", repo, "--full"])
        #expect(verify.status == 5)
        #expect(verify.standardOutput.contains("nimbus repo index rebuild"), "\(verify.standardOutput)")
        let prune = try await nimbus.run(["repo", "prune", "--repo", repo, "--json"])
        #expect(prune.status == 0, "\(prune.standardError)")
        #expect(try prune.jsonObject()["packsDeleted"] as? Int == 0)
        let restored = folder.path("restored.img")
        let restore = try await nimbus.run(["repo", "restore-image", "--repo", repo, point, restored])
        #expect(restore.status == 0, "\(restore.standardError)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: restored)) == Data(contentsOf: URL(fileURLWithPath: first)))

        let rebuild = try await nimbus.run(["repo", "index", "rebuild", "--repo", repo, "--json"])
        #expect(rebuild.status == 0, "\(rebuild.standardError)")
        #expect(try rebuild.jsonObject()["indexObjectsWritten"] as? Int ?? 0 > 0)
        let after = try await nimbus.run(["repo", "verify", "--repo", repo, "--full"])
        #expect(after.status == 0, "\(after.standardOutput)")
    }
}
