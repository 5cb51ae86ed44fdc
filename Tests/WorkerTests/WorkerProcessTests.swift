import AzureKit
import BackupRepository
import Foundation
import LocalCloud
import LocalCloudTesting
import Testing
import WorkerProtocol

@testable import Worker

/// The real `nimbus-worker` executable, run as a process against LocalCloud.
@Suite struct WorkerProcessTests {
    /// The debug build of `nimbus-worker` next to these sources.
    static let executable = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appending(path: ".build/debug/nimbus-worker")

    /// Writes the worker's configuration (queue and container SAS URLs, its key) and LocalCloud's CA into the
    /// cloud's folder; returns their paths.
    static func configure(_ harness: JobHarness) throws -> (config: String, ca: String) {
        let expiry = Date().addingTimeInterval(3_600)
        func queueURL(_ queue: String, _ permissions: QueueSASPermissions) throws -> WorkerProtocol.SASURL {
            let query = QueueSASBuilder(queue: queue, permissions: permissions, expiresOn: expiry)
                .sign(with: harness.account.credential).encoded
            var base = harness.account.queueEndpoint.absoluteString
            if base.hasSuffix("/") { base.removeLast() }
            let text: String = base + "/" + queue + "?" + query
            let url = WorkerProtocol.SASURL(text)
            return try #require(url)
        }
        let overflowQuery = BlobSASBuilder(
            container: JobHarness.overflowContainer,
            permissions: [.read, .create, .write],
            expiresOn: expiry
        ).sign(with: harness.account.credential).encoded
        var blobBase = harness.account.blobEndpoint.absoluteString
        if blobBase.hasSuffix("/") { blobBase.removeLast() }
        let overflowText: String = blobBase + "/" + JobHarness.overflowContainer + "?" + overflowQuery
        let overflowURL = WorkerProtocol.SASURL(overflowText)
        let configuration = WorkerConfiguration(
            workerID: harness.workerID,
            region: harness.cloud.region,
            applianceID: "appliance-1",
            jobQueue: try queueURL(JobHarness.jobQueue, [.process, .update]),
            replyQueue: try queueURL(JobHarness.replyQueue, .add),
            poisonQueue: try queueURL(JobHarness.poisonQueue, .add),
            overflowContainer: try #require(overflowURL),
            workerKey: harness.key
        )
        let config = harness.cloud.folder.appending(path: "worker.json")
        try configuration.encoded().write(to: config)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: config.path)
        let ca = harness.cloud.folder.appending(path: "localcloud-ca.pem")
        try Data((harness.cloud.environment.extraTrustedCAPEM ?? "").utf8).write(to: ca)
        return (config.path, ca.path)
    }

    /// Starts a worker process; its output goes to `log` in the cloud's folder.
    static func start(_ harness: JobHarness, config: String, ca: String, log: String) throws -> Process {
        let process = Process()
        process.executableURL = executable
        process.arguments = [
            "run", "--config", config, "--visibility-timeout", "4", "--heartbeat-interval", "1", "--log-level", "debug",
        ]
        var environment = ProcessInfo.processInfo.environment
        environment["NIMBUS_EXTRA_CA_FILE"] = ca
        process.environment = environment
        let output = harness.cloud.folder.appending(path: log)
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }

    /// Waits for `process` to exit, without blocking a thread of the cooperative pool.
    static func waitForExit(_ process: Process) async throws -> Bool {
        try await eventually(.seconds(60)) { !process.isRunning }
    }

    @Test func aWorkerKilledMidTransferLeavesTheJobToTheNextWorkerWhichMakesExactlyOneRestorePoint() async throws {
        try #require(
            FileManager.default.isExecutableFile(atPath: Self.executable.path),
            "build nimbus-worker first (swift build --build-tests)"
        )
        try await JobHarness.with(loop: false) { harness in
            let (config, ca) = try Self.configure(harness)
            _ = try await harness.repository(container: "backups", blockSize: 256 * 1024, packSize: 4 << 20)
            let disk = try await harness.cloud.emptyDisk("kill-os")
            _ = try await harness.cloud.guest().mutate(disk: disk, percent: 1, seed: 11)
            let snapshot = try await harness.cloud.snapshotSAS("kill-1", of: disk)

            // Slow every read of the snapshot, so that the kill lands while the disk is being read.
            var slow = FaultRule(kind: .latency, service: "disk", operation: "GetBlob")
            slow.latencyMs = 1_500
            try await harness.cloud.faults.replace(FaultRules(rules: [slow]))

            let first = try Self.start(harness, config: config, ca: ca, log: "worker-1.log")
            try await harness.send(try harness.backupJob("backup-kill", snapshot: snapshot, container: "backups"))
            let replies = harness.replies
            let queues = harness.queues
            let running = try await eventually(.seconds(120)) {
                try await replies.drain(queues, queue: JobHarness.replyQueue)
                return replies.all.contains { envelope in
                    guard envelope.jobID == "backup-kill", case .progress = envelope.body else { return false }
                    return true
                }
            }
            try #require(running, "the first worker never reported progress")
            kill(first.processIdentifier, SIGKILL)
            #expect(try await Self.waitForExit(first))
            #expect(first.terminationReason == .uncaughtSignal)
            try await replies.drain(queues, queue: JobHarness.replyQueue)
            try #require(replies.results("backup-kill").isEmpty, "the first worker finished before it was killed")
            #expect(try await harness.restorePoints(ofJob: "backup-kill", container: "backups").isEmpty)

            // A second worker receives the job again once its visibility timeout passes, and completes it.
            try await harness.cloud.faults.replace(FaultRules())
            let second = try Self.start(harness, config: config, ca: ca, log: "worker-2.log")
            let result = try await harness.result("backup-kill", within: .seconds(180))
            second.terminate()
            #expect(try await Self.waitForExit(second))
            #expect(second.terminationStatus == 0)

            let success = try result.succeeded()
            #expect(!success.answeredAgain)
            let points = try await harness.restorePoints(ofJob: "backup-kill", container: "backups")
            #expect(points.map(\.id) == [try #require(success.restorePoint)])
            let redelivered = replies.all.contains { envelope in
                guard envelope.jobID == "backup-kill", case .accepted(let accepted) = envelope.body else {
                    return false
                }
                return accepted.dequeueCount >= 2
            }
            #expect(redelivered)
            // Idle or busy, the workers sent heartbeats.
            #expect(replies.all.contains { $0.jobID == HeartbeatService.jobID })
            let repository = try await Repository.open(
                store: try await harness.store(container: "backups"),
                password: "pw"
            )
            #expect(try await repository.verify(.full).isHealthy)
            #expect(try await repository.listRestorePointIDs().count == 1)
        }
    }
}
