import Foundation
import Testing

/// `nimbus appliance init` and `status`, run as the built executable.
@Suite struct ApplianceCommandTests {
    let folder: TemporaryFolder
    let nimbus = NimbusProcess()

    init() throws {
        folder = try TemporaryFolder()
    }

    @Test func initPrintsTheTokenOnceAndStatusCountsAnEmptyCatalog() async throws {
        defer { folder.remove() }
        let data = folder.path("appliance")
        let created = try await nimbus.run(["appliance", "init", "--data", data, "--json"])
        #expect(created.status == 0, "\(created.standardError)")
        let report = try created.jsonObject()
        #expect(report["data"] as? String == data)
        let token = try #require(report["token"] as? String)
        #expect(token.count == 43)
        let mode = try FileManager.default.attributesOfItem(atPath: data)[.posixPermissions] as? Int
        #expect(mode == 0o700)

        let status = try await nimbus.run(["appliance", "status", "--data", data, "--json"])
        #expect(status.status == 0, "\(status.standardError)")
        let counts = try #require(try status.jsonObject()["counts"] as? [String: any Sendable])
        #expect(counts["accounts"] as? Int == 0)
        #expect(counts["policies"] as? Int == 0)
        #expect((counts["sessions"] as? [String: any Sendable])?["running"] as? Int == 0)
        #expect(!status.standardOutput.contains(token))

        let text = try await nimbus.run(["appliance", "status", "--data", data])
        #expect(text.status == 0)
        #expect(text.standardOutput.contains("sessions running"))
    }

    @Test func initTwiceIsRefusedAndStatusOfNothingSaysToRunInit() async throws {
        defer { folder.remove() }
        let data = folder.path("appliance")
        let first = try await nimbus.run(["appliance", "init", "--data", data])
        #expect(first.status == 0, "\(first.standardError)")
        #expect(first.standardOutput.contains("admin API token"))

        let second = try await nimbus.run(["appliance", "init", "--data", data, "--json"])
        #expect(second.status == 1)
        #expect(second.standardError.contains("already holds an appliance catalog"))
        let error = try #require(try second.jsonObject()["error"] as? [String: any Sendable])
        #expect(error["code"] as? String == "failure")

        let missing = try await nimbus.run(["appliance", "status", "--data", folder.path("none")])
        #expect(missing.status == 6)
        #expect(missing.standardError.contains("nimbus appliance init --data"))
    }
}
