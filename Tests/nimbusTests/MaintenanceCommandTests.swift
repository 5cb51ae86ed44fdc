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
}
