import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Exit statuses and messages of bad inputs and failed writes, as README's table states them.
@Suite struct ExitStatusTests {
    let folder: TemporaryFolder
    let nimbus: NimbusProcess

    init() throws {
        folder = try TemporaryFolder()
        nimbus = NimbusProcess(environment: ["NIMBUS_PASSWORD": "correct horse"])
    }

    /// A repository holding one backup of a 1 MiB image without zero extents; returns the repository and the restore point ID.
    private func repositoryWithBackup() async throws -> (repo: String, id: String) {
        let repo = folder.path("repo")
        #expect(try await nimbus.initRepository(repo).status == 0)
        let image = folder.path("disk.img")
        #expect(
            try await nimbus.run(["dev", "gen-image", image, "--size", "1MiB", "--seed", "2", "--zero", "0"]).status
                == 0
        )
        let backup = try await nimbus.run(["repo", "backup-image", "--repo", repo, image, "--json"])
        #expect(backup.status == 0, "\(backup.standardError)")
        return (repo, try #require(try backup.jsonObject()["id"] as? String))
    }

    @Test func aMissingImageIsNotFoundAndAFolderIsAClearIOError() async throws {
        defer { folder.remove() }
        let repo = folder.path("repo")
        #expect(try await nimbus.initRepository(repo).status == 0)
        let missing = try await nimbus.run(["repo", "backup-image", "--repo", repo, folder.path("none.img")])
        #expect(missing.status == 6)
        #expect(missing.standardError.contains("does not exist"))
        let directory = try await nimbus.run(["repo", "backup-image", "--repo", repo, folder.path("")])
        #expect(directory.status == 8)
        #expect(directory.standardError.contains("is a folder"))
    }

    @Test func restoringIntoAMissingFolderIsAnIOErrorWithAClearMessage() async throws {
        defer { folder.remove() }
        let (repo, id) = try await repositoryWithBackup()
        let result = try await nimbus.run(["repo", "restore-image", "--repo", repo, id, folder.path("no/such/out.img")])
        #expect(result.status == 8)
        #expect(result.standardError.contains("does not exist"))
        #expect(!FileManager.default.fileExists(atPath: folder.path("no")))
    }

    @Test func anOffsetOrALengthPastTheEndGiveTheSameStatus() async throws {
        defer { folder.remove() }
        let (repo, id) = try await repositoryWithBackup()
        let output = folder.path("piece.bin")
        let offset = try await nimbus.run(["repo", "restore-image", "--repo", repo, id, output, "--offset", "2MiB"])
        let length = try await nimbus.run([
            "repo", "restore-image", "--repo", repo, id, output, "--offset", "1000", "--length", "1MiB",
        ])
        #expect(offset.status == 64)
        #expect(length.status == 64)
        #expect(offset.standardError.contains("--offset"))
        #expect(length.standardError.contains("--length"))
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test(.enabled(if: geteuid() == 0, "mounting a small tmpfs needs root"))
    func aFullDiskDuringAWholeImageRestoreIsAnIOErrorAndLeavesNoOutput() async throws {
        defer { folder.remove() }
        let (repo, id) = try await repositoryWithBackup()
        let mount = folder.path("small")
        try FileManager.default.createDirectory(atPath: mount, withIntermediateDirectories: true)
        try Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=256k", "tmpfs", mount])
        defer { try? Self.run("/bin/umount", [mount]) }
        let result = try await nimbus.run(["repo", "restore-image", "--repo", repo, id, mount + "/out.img"])
        #expect(result.status == 8, "\(result.standardError)")
        #expect(result.standardError.contains("full"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: mount).isEmpty)
    }

    private static func run(_ tool: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(tool) \(arguments)")
    }
}
