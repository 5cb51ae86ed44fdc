import BackupRepository
import Foundation
import Testing

/// Ctrl-C (SIGINT) and SIGTERM stop a running backup or restore: it exits promptly with status 130,
/// releases its lock and leaves a valid repository without a half-made restore point.
@Suite struct InterruptTests {
    let nimbus = NimbusProcess(environment: ["NIMBUS_PASSWORD": "correct horse"])

    /// A 1 GiB image holding 256 MiB of random data (1 MiB in every 4 MiB), so that backing it up or
    /// restoring it takes long enough to be interrupted.
    static func writeLargeImage(_ path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw NimbusProcessError(message: "cannot create \(path)")
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        var generator = SystemRandomNumberGenerator()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        for index in 0..<256 {
            chunk.withUnsafeMutableBytes { raw in
                for word in 0..<(raw.count / 8) {
                    raw.storeBytes(of: generator.next(), toByteOffset: word * 8, as: UInt64.self)
                }
            }
            try handle.seek(toOffset: UInt64(index) * (4 << 20))
            try handle.write(contentsOf: chunk)
        }
        try handle.truncate(atOffset: 1 << 30)
    }

    /// Waits until the repository holds a lock with `purpose`: the command has started its work.
    static func waitForLock(_ purpose: String, in locks: RepositoryLocks) async throws {
        let deadline = ContinuousClock.now.advanced(by: .seconds(120))
        while try await !locks.list().contains(where: { $0.record?.purpose == purpose }) {
            guard ContinuousClock.now < deadline else {
                throw NimbusProcessError(message: "no \(purpose) lock appeared")
            }
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    @Test func aSignalStopsABackupAndARestoreAndLeavesAValidRepository() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let repo = folder.path("repo")
        let image = folder.path("disk.img")
        #expect(try await nimbus.initRepository(repo).status == 0)
        try Self.writeLargeImage(image)
        let locks = RepositoryLocks(store: try LocalFolderStore(root: repo, create: false))

        // Ctrl-C during a backup.
        let backup = try await nimbus.start(["repo", "backup-image", "--repo", repo, image])
        try await Self.waitForLock("backup", in: locks)
        backup.send(SIGINT)
        let stopped = try await backup.wait()
        #expect(stopped.status == 130, "\(stopped.standardError)")
        #expect(stopped.standardError.contains("interrupted by SIGINT"), "\(stopped.standardError)")
        #expect(stopped.standardError.contains("no restore point was written"))
        #expect(try await locks.list().isEmpty)
        #expect(try await nimbus.run(["repo", "list", "--repo", repo, "--json"]).jsonArray().isEmpty)
        let verify = try await nimbus.run(["repo", "verify", "--repo", repo])
        #expect(verify.status == 0, "\(verify.standardOutput) \(verify.standardError)")

        // The next backup completes; SIGTERM during its restore stops that too.
        let completed = try await nimbus.run(["repo", "backup-image", "--repo", repo, image])
        #expect(completed.status == 0, "\(completed.standardError)")
        let restore = try await nimbus.start([
            "repo", "restore-image", "--repo", repo, "latest", folder.path("out.img"),
        ])
        try await Self.waitForLock("restore", in: locks)
        restore.send(SIGTERM)
        let interrupted = try await restore.wait()
        #expect(interrupted.standardError.contains("SIGTERM received"), "\(interrupted.standardError)")
        if interrupted.status == 0 {
            // The signal came after the restore's last step: it finished, and its output is whole.
            #expect(FileManager.default.contentsEqual(atPath: folder.path("out.img"), andPath: image))
        } else {
            #expect(interrupted.status == 130, "\(interrupted.standardError)")
            #expect(interrupted.standardError.contains("interrupted by SIGTERM"), "\(interrupted.standardError)")
            // The image is written under a temporary name and renamed at the end: nothing is left at the target.
            #expect(!FileManager.default.fileExists(atPath: folder.path("out.img")))
        }
        #expect(try await locks.list().isEmpty)
        #expect(try await nimbus.run(["repo", "verify", "--repo", repo]).status == 0)
        #expect(try await nimbus.run(["repo", "list", "--repo", repo, "--json"]).jsonArray().count == 1)
    }
}
