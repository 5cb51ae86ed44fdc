import Foundation
import Testing

/// `nimbus repo …` run as a child process: exit statuses, messages and `--json` shapes.
@Suite struct RepoCommandTests {
    let folder: TemporaryFolder
    let nimbus: NimbusProcess

    init() throws {
        folder = try TemporaryFolder()
        nimbus = NimbusProcess(environment: ["NIMBUS_PASSWORD": "correct horse"])
    }

    /// Creates a repository with a cheap key derivation so the tests stay fast.
    private func makeRepository(_ name: String = "repo") async throws -> String {
        let path = folder.path(name)
        let result = try await nimbus.run([
            "repo", "init", "--repo", path, "--weak-key-derivation-for-testing", "--json",
        ])
        #expect(result.status == 0, "\(result.standardError)")
        return path
    }

    @Test func initPrintsTheRepositoryAsJSON() async throws {
        defer { folder.remove() }
        let path = folder.path("repo")
        let result = try await nimbus.run([
            "repo", "init", "--repo", path, "--weak-key-derivation-for-testing", "--json",
        ])
        #expect(result.status == 0)
        let report = try result.jsonObject()
        #expect(report["repository"] as? String == path)
        #expect((report["id"] as? String)?.count == 32)
        #expect(report["encryption"] as? String == "aes-256-gcm")
        let blockSize = try #require(report["blockSize"] as? Int)
        #expect(blockSize.nonzeroBitCount == 1 && (4096...(4 << 20)).contains(blockSize))
        #expect(report["keyID"] is String)

        let again = try await nimbus.run(["repo", "init", "--repo", path, "--weak-key-derivation-for-testing"])
        #expect(again.status == 1)
        #expect(again.standardError.contains("already exists"))
    }

    @Test func backupListShowAndRestoreRoundTrip() async throws {
        defer { folder.remove() }
        let repo = try await makeRepository()
        let image = folder.path("disk.img")
        #expect(try await nimbus.run(["dev", "gen-image", image, "--size", "3MiB", "--seed", "5"]).status == 0)

        let full = try await nimbus.run([
            "repo", "backup-image", "--repo", repo, image, "--meta", "vm=web-01", "--json",
        ])
        #expect(full.status == 0, "\(full.standardError)")
        let fullReport = try full.jsonObject()
        let fullID = try #require(fullReport["id"] as? String)
        #expect(fullReport["diskSize"] as? Int == 3 << 20)
        #expect(fullReport["bytesRead"] as? Int == 3 << 20)
        #expect(fullReport["parent"] == nil)

        let ranges = folder.path("ranges.json")
        #expect(try await nimbus.run(["dev", "mutate", image, "--percent", "2", "--record", ranges]).status == 0)
        let incremental = try await nimbus.run([
            "repo", "backup-image", "--repo", repo, image, "--parent", String(fullID.prefix(8)),
            "--changed-ranges", ranges, "--json",
        ])
        #expect(incremental.status == 0, "\(incremental.standardError)")
        let incrementalReport = try incremental.jsonObject()
        let incrementalID = try #require(incrementalReport["id"] as? String)
        #expect(incrementalReport["parent"] as? String == fullID)
        let read = try #require(incrementalReport["bytesRead"] as? Int)
        #expect(read < 3 << 20)

        let list = try await nimbus.run(["repo", "list", "--repo", repo, "--json"])
        #expect(list.status == 0)
        let entries = try list.jsonArray()
        #expect(entries.map { $0["id"] as? String } == [fullID, incrementalID])
        #expect((entries.first?["metadata"] as? [String: Any])?["vm"] as? String == "web-01")

        let text = try await nimbus.run(["repo", "list", "--repo", repo])
        #expect(text.standardOutput.contains(String(fullID.prefix(12))))
        #expect(text.standardOutput.contains("vm=web-01"))

        let show = try await nimbus.run(["repo", "show", "--repo", repo, "latest", "--json"])
        #expect(show.status == 0)
        #expect(try show.jsonObject()["id"] as? String == incrementalID)

        let restored = folder.path("restored.img")
        let restore = try await nimbus.run(["repo", "restore-image", "--repo", repo, incrementalID, restored, "--json"])
        #expect(restore.status == 0, "\(restore.standardError)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: restored)) == Data(contentsOf: URL(fileURLWithPath: image)))

        let piece = folder.path("piece.bin")
        let partial = try await nimbus.run([
            "repo", "restore-image", "--repo", repo, incrementalID, piece, "--offset", "1000000", "--length", "70000",
        ])
        #expect(partial.status == 0, "\(partial.standardError)")
        let whole = try Data(contentsOf: URL(fileURLWithPath: image))
        #expect(try Data(contentsOf: URL(fileURLWithPath: piece)) == whole.subdata(in: 1_000_000..<1_070_000))
    }

    @Test func wrongPasswordIsExitStatusThreeWithOneClearLine() async throws {
        defer { folder.remove() }
        let repo = try await makeRepository()
        let wrong = NimbusProcess(environment: ["NIMBUS_PASSWORD": "battery staple"])
        let result = try await wrong.run(["repo", "list", "--repo", repo])
        #expect(result.status == 3)
        #expect(result.standardError.contains("wrong password"))
        #expect(result.standardError.split(separator: "\n").count == 1)
        #expect(!result.standardError.contains("battery staple"))

        let json = try await wrong.run(["repo", "list", "--repo", repo, "--json"])
        #expect(json.status == 3)
        let error = try #require(try json.jsonObject()["error"] as? [String: Any])
        #expect(error["code"] as? String == "wrong-password")
    }

    @Test func passwordFileIsRead() async throws {
        defer { folder.remove() }
        let repo = try await makeRepository()
        try Data("correct horse\n".utf8).write(to: folder.url.appendingPathComponent("password"))
        let withoutEnvironment = NimbusProcess()
        let result = try await withoutEnvironment.run([
            "repo", "list", "--repo", repo, "--password-file", folder.path("password"),
        ])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("no restore points"))

        let noPassword = try await withoutEnvironment.run(["repo", "list", "--repo", repo])
        #expect(noPassword.status == 1)
        #expect(noPassword.standardError.contains("NIMBUS_PASSWORD"))
    }

    @Test func aFolderWithoutARepositoryIsExitStatusFour() async throws {
        defer { folder.remove() }
        let empty = folder.path("empty")
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let result = try await nimbus.run(["repo", "list", "--repo", empty])
        #expect(result.status == 4)
        #expect(result.standardError.contains("is not a Nimbus repository"))
        #expect(result.standardError.contains("nimbus repo init"))

        let missing = try await nimbus.run(["repo", "list", "--repo", folder.path("nowhere"), "--json"])
        #expect(missing.status == 4)
        #expect((try missing.jsonObject()["error"] as? [String: Any])?["code"] as? String == "not-a-repository")
    }

    @Test func unknownRestorePointIsExitStatusSix() async throws {
        defer { folder.remove() }
        let repo = try await makeRepository()
        let result = try await nimbus.run(["repo", "show", "--repo", repo, "0123456789abcdef0123456789abcdef"])
        #expect(result.status == 6)
        #expect(result.standardError.contains("no restore point"))
    }

    @Test func damagedRestorePointIsNamed() async throws {
        defer { folder.remove() }
        let repo = try await makeRepository()
        let image = folder.path("disk.img")
        #expect(try await nimbus.run(["dev", "gen-image", image, "--size", "1MiB"]).status == 0)
        let backup = try await nimbus.run(["repo", "backup-image", "--repo", repo, image, "--json"])
        let id = try #require(try backup.jsonObject()["id"] as? String)
        let object = URL(fileURLWithPath: repo).appendingPathComponent("restorepoints/\(id)")
        var bytes = try Data(contentsOf: object)
        bytes[bytes.count / 2] ^= 0x40
        try bytes.write(to: object)

        let result = try await nimbus.run(["repo", "show", "--repo", repo, id])
        #expect(result.status == 5)
        #expect(result.standardError.contains("restorepoints/\(id)"))
    }

    @Test func keysCanBeAddedListedAndRemoved() async throws {
        defer { folder.remove() }
        let repo = try await makeRepository()
        let adder = NimbusProcess(environment: [
            "NIMBUS_PASSWORD": "correct horse", "NIMBUS_NEW_PASSWORD": "second one",
        ])
        let added = try await adder.run([
            "repo", "key", "add", "--repo", repo, "--label", "ops", "--weak-key-derivation-for-testing", "--json",
        ])
        #expect(added.status == 0, "\(added.standardError)")
        let newKey = try #require(try added.jsonObject()["id"] as? String)

        let second = NimbusProcess(environment: ["NIMBUS_PASSWORD": "second one"])
        let keys = try await second.run(["repo", "key", "list", "--repo", repo, "--json"]).jsonArray()
        #expect(keys.count == 2)
        #expect(keys.first { $0["id"] as? String == newKey }?["current"] as? Bool == true)
        #expect(keys.first { $0["id"] as? String == newKey }?["label"] as? String == "ops")

        let first = try #require(keys.first { $0["id"] as? String != newKey }?["id"] as? String)
        #expect(try await second.run(["repo", "key", "remove", "--repo", repo, first]).status == 0)
        #expect(try await nimbus.run(["repo", "list", "--repo", repo]).status == 3)
        let last = try await second.run(["repo", "key", "remove", "--repo", repo, newKey])
        #expect(last.status == 1)
        #expect(last.standardError.contains("only key"))
    }
}
