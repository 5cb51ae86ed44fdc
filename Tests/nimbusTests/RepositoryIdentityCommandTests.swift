import Foundation
import Testing

/// Key, config and changed-ranges problems through the CLI, made with real tampered files.
@Suite struct RepositoryIdentityCommandTests {
    let folder: TemporaryFolder
    let nimbus: NimbusProcess

    init() throws {
        folder = try TemporaryFolder()
        nimbus = NimbusProcess(environment: ["NIMBUS_PASSWORD": "correct horse"])
    }

    private func makeRepository() async throws -> String {
        let path = folder.path("repo")
        let result = try await nimbus.initRepository(path)
        #expect(result.status == 0, "\(result.standardError)")
        return path
    }

    private func addSecondKey(_ repo: String) async throws {
        let adder = NimbusProcess(environment: [
            "NIMBUS_PASSWORD": "correct horse", "NIMBUS_NEW_PASSWORD": "second one",
        ])
        let added = try await adder.run(["repo", "key", "add", "--repo", repo, "--weak-key-derivation-for-testing"])
        #expect(added.status == 0, "\(added.standardError)")
    }

    private func keyObjects(_ repo: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: repo + "/keys").filter { !$0.hasPrefix(".") }
    }

    @Test func changedRangesThatCannotBeTrustedAreClearErrorsNotCrashes() async throws {
        defer { folder.remove() }
        let repo = try await makeRepository()
        let image = folder.path("disk.img")
        #expect(try await nimbus.run(["dev", "gen-image", image, "--size", "1MiB", "--seed", "3"]).status == 0)
        #expect(try await nimbus.run(["repo", "backup-image", "--repo", repo, image]).status == 0)

        let cases: [(String, String)] = [
            ("[[0, 9223372036854775807]]", "past the end of the disk"),
            ("[[9223372036854775000, 807]]", "past the end of the disk"),
            ("[[1048000, 1000]]", "past the end of the disk"),
            ("[[4096, -1]]", "negative"),
            ("[[-4096, 10]]", "negative"),
            ("[[1, 9223372036854775807]]", "2^63"),
            ("[[0, 9223372036854775808]]", "whole numbers"),
            ("[[0, 1, 2]]", "whole numbers"),
            ("{}", "JSON array"),
        ]
        for (index, (text, expected)) in cases.enumerated() {
            let ranges = folder.path("ranges-\(index).json")
            try Data(text.utf8).write(to: URL(fileURLWithPath: ranges))
            let result = try await nimbus.run([
                "repo", "backup-image", "--repo", repo, image, "--parent", "latest", "--changed-ranges", ranges,
            ])
            #expect(result.status == 1, "\(text): \(result.status) \(result.standardError)")
            #expect(result.standardError.contains(expected), "\(text): \(result.standardError)")
            #expect(result.standardError.split(separator: "\n").count == 1, "\(text): \(result.standardError)")
        }
        let list = try await nimbus.run(["repo", "list", "--repo", repo, "--json"])
        #expect(try list.jsonArray().count == 1)
    }

    @Test func deletedOrAlteredKeysAndConfigAreDamageNotAWrongPassword() async throws {
        defer { folder.remove() }
        let repo = try await makeRepository()
        let key = try #require(try keyObjects(repo).first)
        let keyURL = URL(fileURLWithPath: repo + "/keys/" + key)
        let keyBytes = try Data(contentsOf: keyURL)
        try await addSecondKey(repo)

        // An altered key object.
        var text = String(decoding: keyBytes, as: UTF8.self)
        text = text.replacingOccurrences(of: "\"label\" : \"initial\"", with: "\"label\" : \"changed\"")
        try Data(text.utf8).write(to: keyURL)
        let altered = try await nimbus.run(["repo", "list", "--repo", repo])
        #expect(altered.status == 5, "\(altered.standardError)")
        #expect(altered.standardError.contains("keys/\(key)"))
        #expect(!altered.standardError.contains("wrong password"))

        // Another password still opens the repository, and the damaged key is named, then removed.
        let second = NimbusProcess(environment: ["NIMBUS_PASSWORD": "second one"])
        let keys = try await second.run(["repo", "key", "list", "--repo", repo, "--json"])
        #expect(keys.status == 0, "\(keys.standardError)")
        #expect(try keys.jsonArray().count == 1)
        #expect(keys.standardError.contains("key object 'keys/\(key)' is damaged"))
        let verify = try await second.run(["repo", "verify", "--repo", repo])
        #expect(verify.status == 5)
        #expect(verify.standardOutput.contains("keys/\(key)"))
        let removed = try await second.run(["repo", "key", "remove", "--repo", repo, key])
        #expect(removed.status == 0, "\(removed.standardError)")
        #expect(try keyObjects(repo).count == 1)
        for other in try keyObjects(repo) { try FileManager.default.removeItem(atPath: repo + "/keys/" + other) }

        // Every key object deleted.
        let deleted = try await nimbus.run(["repo", "list", "--repo", repo, "--json"])
        #expect(deleted.status == 5)
        #expect((try deleted.jsonObject()["error"] as? [String: Any])?["code"] as? String == "damaged")
        try keyBytes.write(to: keyURL)
        #expect(try await nimbus.run(["repo", "list", "--repo", repo]).status == 0)

        // An altered repository ID in config.
        let configURL = URL(fileURLWithPath: repo + "/config")
        let config = String(decoding: try Data(contentsOf: configURL), as: UTF8.self)
        let id = try #require(config.firstMatch(of: /"id" : "([0-9a-f]{32})"/)?.output.1)
        try Data(config.replacingOccurrences(of: String(id), with: String(repeating: "0", count: 32)).utf8)
            .write(to: configURL)
        let mismatch = try await nimbus.run(["repo", "list", "--repo", repo])
        #expect(mismatch.status == 5)
        #expect(mismatch.standardError.contains("'config'"))
        #expect(mismatch.standardError.contains("belong to repository \(id)"))
    }

    @Test func initRefusesARepositoryThatLostItsConfigWhichThenComesBack() async throws {
        defer { folder.remove() }
        let repo = try await makeRepository()
        let image = folder.path("disk.img")
        #expect(try await nimbus.run(["dev", "gen-image", image, "--size", "1MiB"]).status == 0)
        #expect(try await nimbus.run(["repo", "backup-image", "--repo", repo, image]).status == 0)
        try FileManager.default.removeItem(atPath: repo + "/config")

        let again = try await nimbus.initRepository(repo)
        #expect(again.status == 1)
        #expect(again.standardError.contains("already exists"))
        #expect(try keyObjects(repo).count == 1)

        let list = try await nimbus.run(["repo", "list", "--repo", repo, "--json"])
        #expect(list.status == 0, "\(list.standardError)")
        #expect(try list.jsonArray().count == 1)
        #expect(FileManager.default.fileExists(atPath: repo + "/config"))
    }

    @Test func verifyNamesAWeakKeyAndHowToReplaceIt() async throws {
        defer { folder.remove() }
        let repo = try await makeRepository()
        let key = try #require(try keyObjects(repo).first)
        let result = try await nimbus.run(["repo", "verify", "--repo", repo])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("key \(key)"))
        #expect(result.standardOutput.contains("weaker than the default"))
        #expect(result.standardOutput.contains("nimbus repo key add"))
        #expect(result.standardOutput.contains("nimbus repo key remove \(key)"))

        let json = try await nimbus.run(["repo", "verify", "--repo", repo, "--json"])
        #expect(json.status == 0)
        #expect(json.standardError.contains("nimbus: warning: key \(key)"))
    }

    @Test func aFolderWithoutARepositoryGivesTheEngineMessageBeforeAnyPassword() async throws {
        defer { folder.remove() }
        let empty = folder.path("empty")
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let result = try await NimbusProcess().run(["repo", "list", "--repo", empty])
        #expect(result.status == 4)
        #expect(
            result.standardError
                == "nimbus: error: \(empty) is not a Nimbus repository (it has no 'config' object); check the path "
                + "or run `nimbus repo init`\n"
        )
    }
}
