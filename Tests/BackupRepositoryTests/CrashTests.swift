import Foundation
import Testing

@testable import BackupRepository

/// Kills a real backup or prune process (`kill -9`, or `_exit` right after a chosen store call) and checks
/// that the repository stays valid, every restore point restores, and the next run finishes the job.
///
/// The process is the `nimbus-crashtest` executable built next to the test bundle; it stops through a
/// `FaultyStore` around its store (`--stop-after <operation>:<key prefix>:<n>`).
@Suite(.serialized) struct CrashTests {
    /// The crash-test executable, found next to the running test bundle.
    static let tool: URL? = {
        var candidates: [URL] = []
        if let first = CommandLine.arguments.first {
            var url = URL(fileURLWithPath: first).deletingLastPathComponent()
            for _ in 0..<4 {
                candidates.append(url.appendingPathComponent("nimbus-crashtest"))
                url = url.deletingLastPathComponent()
            }
        }
        candidates.append(Bundle.main.bundleURL.appendingPathComponent("nimbus-crashtest"))
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("nimbus-crashtest"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    /// The exit status of the tool when it stops after the chosen store call.
    static let stoppedStatus: Int32 = 86

    /// Where a prune is stopped: right after the store call `stopAfter` (`<operation>:<key prefix>:<n>`).
    struct StopPoint: Sendable, CustomTestStringConvertible {
        /// What the prune has just done there.
        var name: String
        /// The tool's `--stop-after` argument.
        var stopAfter: String

        var testDescription: String { name }
    }

    /// The points of a prune that repacks: its new pack written, the index object of the copies written, a
    /// rewritten index object written, an old index object deleted, the first and third old packs deleted.
    static let prunePoints = [
        StopPoint(name: "repack pack written", stopAfter: "put:packs/:1"),
        StopPoint(name: "repack indexed", stopAfter: "put:index/:1"),
        StopPoint(name: "index rewritten", stopAfter: "put:index/:2"),
        StopPoint(name: "old index deleted", stopAfter: "delete:index/:1"),
        StopPoint(name: "first pack deleted", stopAfter: "delete:packs/:1"),
        StopPoint(name: "third pack deleted", stopAfter: "delete:packs/:3"),
    ]

    /// Runs the tool; kills it after `killAfter` seconds if given. Returns the exit status (or -9) and its output.
    static func run(
        _ arguments: [String],
        stopAfter: String? = nil,
        killAfter: Double? = nil
    ) async throws -> (status: Int32, output: String) {
        let tool = try #require(tool, "build the package first: nimbus-crashtest not found")
        let process = Process()
        process.executableURL = tool
        process.arguments = (stopAfter.map { ["--stop-after", $0] } ?? []) + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["NIMBUS_PASSWORD"] = MaintenanceFixture.password
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        if let killAfter {
            try await Task.sleep(for: .seconds(killAfter))
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        while process.isRunning { try await Task.sleep(for: .milliseconds(10)) }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let status =
            process.terminationReason == .uncaughtSignal ? -process.terminationStatus : process.terminationStatus
        return (status, text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Copies a repository folder so every case starts from the same state.
    static func copy(_ fixture: MaintenanceFixture, to name: String) throws -> String {
        let target = fixture.folder.url.appendingPathComponent(name).path
        try FileManager.default.copyItem(atPath: fixture.store.root, toPath: target)
        return target
    }

    /// Checks a repository folder: full verify is healthy and every expected restore point restores exactly.
    static func check(_ root: String, images: [RestorePointID: Data], scratch: URL) async throws {
        let repository = try await Repository.open(
            store: try LocalFolderStore(root: root, create: false),
            password: MaintenanceFixture.password
        )
        let report = try await repository.verify(.full)
        #expect(report.isHealthy, "\(root): \(report.repositoryProblems) \(report.damagedRestorePoints)")
        let ids = Set(try await repository.listRestorePointIDs())
        for (id, image) in images {
            #expect(ids.contains(id))
            let path = scratch.appendingPathComponent("check-\(id.hex)").path
            try await repository.restore(id, toFile: path)
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == image, "\(id) restores exactly")
            try FileManager.default.removeItem(atPath: path)
        }
    }

    @Test(arguments: CrashTests.prunePoints)
    func aPruneKilledAtANamedPointLeavesAValidRepository(point: StopPoint) async throws {
        #expect(Self.tool != nil, "nimbus-crashtest must be built next to the tests")
        let fixture = try await MaintenanceFixture.make(label: "nimbus-crash")
        defer { fixture.remove() }
        let first = TestImages.random(4 << 20, seed: 61)
        var second = first
        // Every third block of the first half changes: those packs end up two-thirds live and are
        // repacked, the packs of the second half stay, so index objects are rewritten, not just dropped.
        for block in stride(from: 0, to: first.count / 8192, by: 3) {
            second.replaceSubrange(
                block * 4096..<(block + 1) * 4096,
                with: TestImages.random(4096, seed: UInt64(block))
            )
        }
        let a = try await fixture.backup(first)
        let b = try await fixture.backup(second)
        _ = try await fixture.repository.forget([a])

        let root = try Self.copy(fixture, to: "case")
        let crashed = try await Self.run(["prune", root, "0.9"], stopAfter: point.stopAfter)
        #expect(crashed.status == Self.stoppedStatus, "the prune reached '\(point.name)' (\(point.stopAfter))")
        try await Self.check(root, images: [b: second], scratch: fixture.folder.url)

        // The crashed prune's lock belongs to a dead process of this host: it blocks nobody.
        let rerun = try await Self.run(["prune", root, "0.9"])
        #expect(rerun.status == 0)
        try await Self.check(root, images: [b: second], scratch: fixture.folder.url)
        let repository = try await Repository.open(
            store: try LocalFolderStore(root: root, create: false),
            password: MaintenanceFixture.password
        )
        let locks = try await repository.locks().list()
        #expect(locks.isEmpty, "stale locks are removed by the rerun")
        // Nothing more to collect after the rerun, and a new backup works.
        let final = try await repository.prune(options: MaintenanceFixture.pruneOptions(ratio: 0.9))
        #expect(
            final.packsDeleted == 0 && final.packsRepacked == 0,
            "after a prune killed at '\(point.name)' and its rerun, a further prune still found work: \(final)"
        )
        let path = fixture.folder.url.appendingPathComponent("next-image").path
        try second.write(to: URL(fileURLWithPath: path))
        let next = try await repository.backup(
            source: try FileDiskSource(path: path),
            options: BackupOptions(parent: b)
        )
        try await Self.check(root, images: [b: second, next.restorePoint.id: second], scratch: fixture.folder.url)
    }

    @Test(arguments: [0.0, 0.05, 0.15, 0.3, 0.6])
    func aBackupKilledAtAnyMomentLeavesAValidRepository(delay: Double) async throws {
        #expect(Self.tool != nil, "nimbus-crashtest must be built next to the tests")
        let fixture = try await MaintenanceFixture.make(label: "nimbus-crash")
        defer { fixture.remove() }
        let base = TestImages.random(256 << 10, seed: 71)
        let a = try await fixture.backup(base)
        let big = TestImages.random(4 << 20, seed: 72)
        let image = fixture.folder.url.appendingPathComponent("big.img").path
        try big.write(to: URL(fileURLWithPath: image))

        let killed = try await Self.run(["backup", fixture.store.root, image], killAfter: delay)
        // Killed just after writing its restore point, the backup may have finished without saying so:
        // any new restore point must then be complete.
        var expected: [RestorePointID: Data] = [a: base]
        for id in try await fixture.repository.listRestorePointIDs() where id != a { expected[id] = big }
        if killed.status == 0 { #expect(expected.keys.contains { $0.hex == killed.output }) }
        #expect(expected.count <= 2)
        try await Self.check(fixture.store.root, images: expected, scratch: fixture.folder.url)

        // A rerun succeeds (reusing what was uploaded), and prune collects the leftovers.
        let rerun = try await Self.run(["backup", fixture.store.root, image])
        #expect(rerun.status == 0)
        let id = try #require(RestorePointID(rerun.output))
        expected[id] = big
        let report = try await fixture.repository.prune(options: MaintenanceFixture.pruneOptions())
        #expect(report.restorePoints == expected.count)
        try await Self.check(fixture.store.root, images: expected, scratch: fixture.folder.url)
    }
}
