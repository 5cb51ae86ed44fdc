import Foundation
import Testing

/// `nimbus repo files partitions|ls|find|get` on a restore point of an ext4 image built with mkfs.ext4 -d.
@Suite struct FilesCommandTests {
    let nimbus = NimbusProcess(environment: ["NIMBUS_PASSWORD": "file restore"])
    static let blob = Data((0..<300_000).map { UInt8(truncatingIfNeeded: ($0 &* 2_654_435_761) >> 13) })

    /// A repository holding one restore point of a 64 MiB ext4 image of a small tree.
    func repository(in folder: TemporaryFolder) async throws -> String {
        let source = folder.path("src")
        for path in ["etc/app", "home", "var/empty"] {
            try FileManager.default.createDirectory(atPath: source + "/" + path, withIntermediateDirectories: true)
        }
        try Data("hello\n".utf8).write(to: URL(fileURLWithPath: source + "/etc/hello.txt"))
        try Self.blob.write(to: URL(fileURLWithPath: source + "/etc/app/blob.bin"))
        try FileManager.default.createSymbolicLink(
            atPath: source + "/home/link",
            withDestinationPath: "../etc/hello.txt"
        )
        try FileManager.default.setAttributes(
            [.posixPermissions: 0o640, .modificationDate: Date(timeIntervalSince1970: 1_704_164_645)],
            ofItemAtPath: source + "/etc/hello.txt"
        )
        let image = folder.path("disk.img")
        let made = try await Self.shell("truncate -s 64M '\(image)' && mkfs.ext4 -q -F -d '\(source)' '\(image)'")
        #expect(made == 0, "mkfs.ext4 failed")
        let repo = folder.path("repo")
        #expect(try await nimbus.initRepository(repo).status == 0)
        let backup = try await nimbus.run(["repo", "backup-image", "--repo", repo, image])
        #expect(backup.status == 0, "\(backup.standardError)")
        return repo
    }

    static func shell(_ command: String) async throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", command]
        return try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
    }

    @Test func partitionsListAndFindDescribeTheFileSystemAsJSON() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let repo = try await repository(in: folder)

        let partitions = try await nimbus.run(["repo", "files", "partitions", "--repo", repo, "latest", "--json"])
        #expect(partitions.status == 0, "\(partitions.standardError)")
        #expect(try partitions.jsonArray().map { $0["fileSystem"] as? String } == ["ext4"])

        let listed = try await nimbus.run(["repo", "files", "ls", "--repo", repo, "latest", "/etc", "--json"])
        #expect(listed.status == 0, "\(listed.standardError)")
        let entries = try listed.jsonArray()
        #expect(entries.compactMap { $0["name"] as? String }.sorted() == ["app", "hello.txt"])
        let hello = try #require(entries.first { $0["name"] as? String == "hello.txt" })
        #expect(hello["size"] as? Int == 6)
        #expect((hello["mode"] as? Int).map { $0 & 0o777 } == 0o640)
        #expect(hello["modified"] as? String == "2024-01-02T03:04:05Z")
        #expect(hello["kind"] as? String == "regular")

        let found = try await nimbus.run(["repo", "files", "find", "--repo", repo, "latest", "*.bin", "--json"])
        #expect(found.status == 0, "\(found.standardError)")
        #expect(try found.jsonArray().compactMap { $0["path"] as? String } == ["/etc/app/blob.bin"])

        // The table form names the same entries.
        let table = try await nimbus.run(["repo", "files", "ls", "--repo", repo, "latest", "/home"])
        #expect(table.standardOutput.contains("link"))
    }

    @Test func getCopiesAFolderRecursivelyKeepingModesTimesAndSymlinks() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let repo = try await repository(in: folder)
        let output = folder.path("restored")
        let got = try await nimbus.run([
            "repo", "files", "get", "--repo", repo, "latest", "/", "--output", output, "--json",
        ])
        #expect(got.status == 0, "\(got.standardError)")
        let report = try got.jsonObject()
        #expect(report["files"] as? Int == 2)
        #expect(report["symlinks"] as? Int == 1)
        #expect(FileManager.default.contents(atPath: output + "/etc/hello.txt") == Data("hello\n".utf8))
        #expect(FileManager.default.contents(atPath: output + "/etc/app/blob.bin") == Self.blob)
        let attributes = try FileManager.default.attributesOfItem(atPath: output + "/etc/hello.txt")
        #expect((attributes[.posixPermissions] as? Int).map { $0 & 0o777 } == 0o640)
        #expect((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 == 1_704_164_645)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: output + "/home/link") == "../etc/hello.txt")
        var isFolder: ObjCBool = false
        #expect(
            FileManager.default.fileExists(atPath: output + "/var/empty", isDirectory: &isFolder) && isFolder.boolValue
        )

        // A folder is never written over an existing one.
        let again = try await nimbus.run(["repo", "files", "get", "--repo", repo, "latest", "/etc", "--output", output])
        #expect(again.status != 0)
        #expect(again.standardError.contains(output))
    }

    @Test func aMissingPathOrPartitionIsAClearError() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let repo = try await repository(in: folder)
        let missing = try await nimbus.run(["repo", "files", "ls", "--repo", repo, "latest", "/etc/nope"])
        #expect(missing.status == 6, "\(missing.standardError)")
        #expect(missing.standardError.contains("/etc/nope"))
        let partition = try await nimbus.run(["repo", "files", "ls", "--repo", repo, "latest:os:7", "/"])
        #expect(partition.status != 0)
        #expect(partition.standardError.contains("7"))
    }
}
