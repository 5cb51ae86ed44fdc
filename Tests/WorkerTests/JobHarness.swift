import AzureBlobStore
import AzureKit
import BackupRepository
import Foundation
import LocalCloudTesting
import Logging
import NIOCore
import Synchronization
import Testing
import WorkerProtocol

@testable import Worker

/// The replies a worker sent, as the appliance would read them off its queue.
final class ReplyLog: Sendable {
    private let replies = Mutex<[Envelope]>([])

    /// Every reply read so far, in the order read.
    var all: [Envelope] { replies.withLock { $0 } }

    /// Reads what is on the reply queue into the log.
    func drain(_ queues: QueueClient, queue: String) async throws {
        while true {
            let messages = try await queues.getMessages(queue: queue, count: 32, logger: WorkerCloud.quiet)
            if messages.isEmpty { return }
            for message in messages {
                let envelope = try EnvelopeCodec().decode(text: message.text)
                replies.withLock { $0.append(envelope) }
                if let receipt = message.popReceipt {
                    try await queues.deleteMessage(
                        queue: queue,
                        id: message.id,
                        popReceipt: receipt,
                        logger: WorkerCloud.quiet
                    )
                }
            }
        }
    }

    /// The results of job `jobID`, in the order read.
    func results(_ jobID: String) -> [JobResult] {
        all.compactMap { envelope in
            guard envelope.jobID == jobID, case .result(let result) = envelope.body else { return nil }
            return result
        }
    }
}

/// A worker's world in LocalCloud: one storage account holding the job, reply and poison queues, the overflow
/// container and the repositories; the worker's key; and, when asked, a queue loop running a
/// ``ProtocolJobHandler`` on the job queue.
struct JobHarness: Sendable {
    let cloud: WorkerCloud
    let account: WorkerCloud.Account
    /// The account's key, base64, as a job carries it (sealed).
    let accountKey: String
    let key: WorkerKey
    let workerID: String
    let queues: QueueClient
    let replies = ReplyLog()

    static let jobQueue = "jobs"
    static let replyQueue = "replies"
    static let poisonQueue = "jobs-poison"
    static let overflowContainer = "overflow"

    /// Starts LocalCloud and the queues, runs a worker loop (unless `loop` is false) while `body` runs.
    static func with(
        loop: Bool = true,
        visibility: Duration = .seconds(30),
        maintenance: MaintenanceSettings = JobHarness.testMaintenance(),
        _ body: @Sendable (JobHarness) async throws -> Void
    ) async throws {
        try await WorkerCloud.with { cloud in
            let account = try await cloud.account("jobs\(UInt32.random(in: 0..<UInt32.max) % 1_000_000)")
            let queues = cloud.queues(account)
            for queue in [jobQueue, replyQueue, poisonQueue] {
                _ = try await queues.createQueue(queue, logger: WorkerCloud.quiet)
            }
            let accountKey = try await cloud.arm.storageAccountKeys(
                resourceGroup: cloud.group,
                name: account.name,
                logger: WorkerCloud.quiet
            )[0].value
            let harness = JobHarness(
                cloud: cloud,
                account: account,
                accountKey: accountKey,
                key: WorkerKey.generate(),
                workerID: "worker-test-\(UInt32.random(in: 0..<UInt32.max) % 10_000)",
                queues: queues
            )
            _ = try await harness.blobs.createContainer(overflowContainer, logger: WorkerCloud.quiet)
            guard loop else {
                try await body(harness)
                return
            }
            let running = Task { try await harness.loop(visibility: visibility, maintenance: maintenance).run() }
            do {
                try await body(harness)
            } catch {
                running.cancel()
                _ = try? await running.value
                throw error
            }
            running.cancel()
            _ = try? await running.value
        }
    }

    /// Maintenance settings for tests: weak archive keys, and a clock two hours ahead so that prune's grace
    /// period does not protect the packs the test just wrote.
    static func testMaintenance() -> MaintenanceSettings {
        var settings = MaintenanceSettings()
        settings.archiveScrypt = .weakForTesting
        settings.now = { Date().addingTimeInterval(7_200) }
        return settings
    }

    /// The account's Blob service with Shared Key.
    var blobs: BlobClient {
        BlobClient(client: cloud.client, endpoint: account.blobEndpoint, authorization: .sharedKey(account.credential))
    }

    /// The worker's queue loop with its protocol handler.
    func loop(visibility: Duration, maintenance: MaintenanceSettings) -> QueueLoop {
        let handler = ProtocolJobHandler(
            workerID: workerID,
            key: key,
            client: cloud.client,
            replies: ReplySender(queues: queues, queue: Self.replyQueue, logger: WorkerCloud.quiet),
            routing: PrivateEndpointRouting(.privateDNS),
            poisonQueue: Self.poisonQueue,
            progressInterval: .milliseconds(500),
            maintenance: maintenance,
            logger: WorkerCloud.quiet
        )
        return QueueLoop(
            queues: queues,
            settings: QueueLoopSettings(
                jobQueue: Self.jobQueue,
                poisonQueue: Self.poisonQueue,
                visibilityTimeout: visibility,
                pollInterval: .milliseconds(50)
            ),
            handler: handler,
            logger: WorkerCloud.quiet
        )
    }

    /// The store of `container` (created when needed) under `prefix`, with Shared Key.
    func store(container: String, prefix: String = "") async throws -> AzureBlobStore {
        let store = AzureBlobStore(
            client: cloud.client,
            endpoint: account.blobEndpoint,
            container: container,
            credential: account.credential,
            prefix: prefix,
            logger: WorkerCloud.quiet
        )
        try await store.createContainerIfNeeded()
        return store
    }

    /// A new repository in `container` with small blocks and packs.
    func repository(
        container: String,
        prefix: String = "",
        password: String = "pw",
        blockSize: Int = 64 * 1024,
        packSize: Int = 1 << 20
    ) async throws -> Repository {
        var options = Repository.CreateOptions()
        options.scrypt = .weakForTesting
        options.blockSize = blockSize
        options.packTargetSize = packSize
        return try await Repository.create(
            store: try await store(container: container, prefix: prefix),
            password: password,
            options: options
        )
    }

    /// The access to the repository in `container` as a job `jobID` carries it: the account key and the
    /// password sealed for `role`.
    func access(
        container: String,
        prefix: String = "",
        password: String = "pw",
        role: RepositoryRole = .repository,
        jobID: String
    ) throws -> RepositoryAccess {
        let context = SealingContext(key: key, workerID: workerID, jobID: jobID)
        return RepositoryAccess(
            location: RepositoryLocation(
                blobEndpoint: account.blobEndpoint,
                container: container,
                prefix: prefix,
                credential: .accountKey(
                    account: account.name,
                    key: try context.seal(accountKey, as: .credential(role))
                )
            ),
            password: try context.seal(password, as: .password(role))
        )
    }

    /// An envelope of job `jobID` from the appliance, due in an hour.
    func envelope(_ jobID: String, attempt: Int = 1, _ body: MessageBody) -> Envelope {
        Envelope(
            jobID: jobID,
            sessionID: "session-1",
            taskID: "task-1",
            attempt: attempt,
            sent: Date(),
            deadline: Date().addingTimeInterval(3_600),
            sender: .appliance("appliance-1"),
            body: body
        )
    }

    /// A read (or, with `permissions`, other) SAS URL of blob `name` in the overflow container, expiring at
    /// `expiry`.
    func overflowURL(_ name: String, expiry: Date = Date().addingTimeInterval(3_600)) -> String {
        let builder = BlobSASBuilder(
            container: Self.overflowContainer,
            blob: name,
            permissions: .read,
            expiresOn: expiry
        )
        let query = builder.sign(with: account.credential).encoded
        var base = account.blobEndpoint.absoluteString
        if base.hasSuffix("/") { base.removeLast() }
        return base + "/\(Self.overflowContainer)/\(name)?\(query)"
    }

    /// Puts `envelope` on the job queue: inline, or through the overflow container when it is too large (its blob's
    /// read SAS expiring at `overflowExpiry`).
    /// - Returns: Whether the envelope went through the overflow container.
    @discardableResult
    func send(_ envelope: Envelope, overflowExpiry: Date = Date().addingTimeInterval(3_600)) async throws -> Bool {
        let target = OverflowTarget(key: key, workerID: workerID) { name in
            self.overflowURL(name, expiry: overflowExpiry)
        }
        let outgoing = try EnvelopeCodec().encode(envelope, overflow: target)
        if let blob = outgoing.overflowBlob {
            try await blobs.putBlob(
                container: Self.overflowContainer,
                blob: blob.name,
                data: ByteBuffer(bytes: blob.bytes),
                logger: WorkerCloud.quiet
            )
        }
        _ = try await queues.putMessage(queue: Self.jobQueue, text: outgoing.text, logger: WorkerCloud.quiet)
        return outgoing.overflowBlob != nil
    }

    /// Waits (generously) for the first result of job `jobID` and returns it.
    func result(_ jobID: String, within limit: Duration = .seconds(120)) async throws -> JobResult {
        let replies = self.replies
        let queues = self.queues
        let found = try await eventually(limit) {
            try await replies.drain(queues, queue: Self.replyQueue)
            return !replies.results(jobID).isEmpty
        }
        try #require(found, "no result for job \(jobID)")
        return try #require(replies.results(jobID).first)
    }

    /// Waits for `count` results of job `jobID` and returns them.
    func results(_ jobID: String, count: Int, within limit: Duration = .seconds(120)) async throws -> [JobResult] {
        let replies = self.replies
        let queues = self.queues
        let found = try await eventually(limit) {
            try await replies.drain(queues, queue: Self.replyQueue)
            return replies.results(jobID).count >= count
        }
        try #require(found, "fewer than \(count) results for job \(jobID)")
        return replies.results(jobID)
    }
}

extension JobResult {
    /// The success, or a recorded issue naming the failure.
    func succeeded(sourceLocation: SourceLocation = #_sourceLocation) throws -> JobSuccess {
        switch self {
        case .success(let success): return success
        case .failure(let failure):
            Issue.record("the job failed: \(failure)", sourceLocation: sourceLocation)
            throw JobFailed(failure: failure)
        }
    }

    /// The failure, if the job failed.
    var failed: JobFailure? {
        if case .failure(let failure) = self { return failure }
        return nil
    }
}

/// A job that failed where a test needed it to succeed.
struct JobFailed: Error {
    var failure: JobFailure
}

/// A file-backed disk image of `size` bytes of seeded noise, for engine backups in tests.
func noise(_ seed: UInt8, size: Int) -> Data {
    var bytes = Data(count: size)
    var state = UInt64(seed) &+ 0x9E37_79B9_7F4A_7C15
    for index in 0..<size {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        bytes[index] = UInt8(truncatingIfNeeded: state >> 56)
    }
    return bytes
}

extension Repository {
    /// Backs up `image` (written to a file in `folder`) as a restore point with `metadata`.
    func backup(_ image: Data, metadata: String = "{}", folder: URL) async throws -> BackupResult {
        let path = folder.appending(path: "image-\(UUID().uuidString).raw").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try image.write(to: URL(fileURLWithPath: path))
        var options = BackupOptions()
        options.metadata = Data(metadata.utf8)
        return try await backup(source: try FileDiskSource(path: path), options: options)
    }

    /// The packs that hold data blocks, and those that hold tree nodes, as the index lists them.
    func packsByKind() async throws -> (data: Set<PackID>, tree: Set<PackID>) {
        var data = Set<PackID>()
        var tree = Set<PackID>()
        for key in try await listIndexObjects() {
            for location in try await readIndexObject(key).locations {
                if location.entry.flags.contains(.treeNode) {
                    tree.insert(location.pack)
                } else {
                    data.insert(location.pack)
                }
            }
        }
        return (data, tree)
    }
}

extension JobHarness {
    /// A one-disk VM's backup job `jobID`: its OS disk's snapshot (read SAS `snapshot`, disk of `sizeBytes`) into the
    /// repository in `container`.
    func backupJob(
        _ jobID: String,
        snapshot: AzureKit.SASURL,
        sizeBytes: Int64 = 1 << 30,
        container: String,
        attempt: Int = 1
    ) throws -> Envelope {
        let context = SealingContext(key: key, workerID: workerID, jobID: jobID)
        let vm = VMConfiguration(
            name: "vm-1",
            resourceID: "/subscriptions/s/resourceGroups/rg-tests/providers/Microsoft.Compute/virtualMachines/vm-1",
            region: cloud.region,
            size: "Standard_D2s_v5",
            osType: .linux,
            disks: [
                VMDiskConfiguration(
                    slot: .os,
                    name: "vm-1-os",
                    resourceID: "/subscriptions/s/resourceGroups/rg-tests/providers/Microsoft.Compute/disks/vm-1-os",
                    sizeBytes: sizeBytes,
                    sku: "Premium_LRS"
                )
            ]
        )
        return envelope(
            jobID,
            attempt: attempt,
            .backup(
                BackupJob(
                    disks: [
                        BackupDisk(
                            slot: .os,
                            sizeBytes: sizeBytes,
                            snapshot: try context.seal(snapshot.url.absoluteString, as: .snapshot(.os))
                        )
                    ],
                    repository: try access(container: container, jobID: jobID),
                    vm: vm
                )
            )
        )
    }

    /// The restore points of the repository in `container` that job `jobID` published.
    func restorePoints(ofJob jobID: String, container: String, password: String = "pw") async throws -> [RestorePoint] {
        let repository = try await Repository.open(store: try await store(container: container), password: password)
        return try await repository.listRestorePoints().filter { point in
            let metadata = (try? JSONValue(parsing: point.metadata)) ?? .null
            return JobMarker(metadata: metadata)?.jobID == jobID
        }
    }
}
