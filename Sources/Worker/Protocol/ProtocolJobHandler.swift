import AzureKit
import BackupRepository
import Foundation
import Logging
import Synchronization
import WorkerProtocol

/// Runs the protocol's jobs: decodes envelopes (fetching an overflowed one from its blob), opens their sealed
/// secrets with the worker's key, sends `accepted`, `progress` every ``progressInterval`` and a final `result` that
/// is retried until its deadline.
///
/// Backup, archive, verify and maintenance jobs run here (see the `ProtocolJobHandler+…` files). A redelivered
/// backup whose restore point already exists (its ``JobMarker`` is in the restore point's metadata) is answered
/// again without reading anything; a redelivered archive finds its restore points in the archive and copies
/// nothing.
public final class ProtocolJobHandler: JobHandler {
    /// The worker's ID, as jobs are sealed for it.
    public let workerID: String
    let key: WorkerKey
    let client: AzureClient
    let replies: ReplySender
    let opener: RepositoryOpener
    let overflow: OverflowReader
    let readOptions: SnapshotReadOptions
    let poisonQueue: String
    let logger: Logger
    let codec = EnvelopeCodec()
    /// How often a running job reports its progress.
    public let progressInterval: Duration
    /// The jobs running now, for heartbeats.
    public let activity: WorkerActivity
    /// The engine settings of maintenance and archive jobs.
    public let maintenance: MaintenanceSettings

    /// Creates a handler for the worker `workerID` holding `key`.
    public init(
        workerID: String,
        key: WorkerKey,
        client: AzureClient,
        replies: ReplySender,
        routing: PrivateEndpointRouting,
        poisonQueue: String,
        readOptions: SnapshotReadOptions = SnapshotReadOptions(),
        progressInterval: Duration = .seconds(2),
        activity: WorkerActivity = WorkerActivity(),
        maintenance: MaintenanceSettings = MaintenanceSettings(),
        logger: Logger
    ) {
        self.workerID = workerID
        self.key = key
        self.client = client
        self.replies = replies
        self.opener = RepositoryOpener(client: client, routing: routing, logger: logger)
        self.overflow = OverflowReader(client: client, routing: routing, logger: logger)
        self.readOptions = readOptions
        self.poisonQueue = poisonQueue
        self.progressInterval = progressInterval
        self.activity = activity
        self.maintenance = maintenance
        self.logger = logger
    }

    public func run(_ message: QueueMessage, lease: JobLease) async throws {
        var envelope: Envelope
        do {
            envelope = try codec.decode(text: message.text)
        } catch {
            throw UndecodableMessage(error.message)
        }
        var logger = self.logger
        logger[metadataKey: "job"] = .string(envelope.jobID)
        logger[metadataKey: "session"] = .string(envelope.sessionID)
        logger[metadataKey: "task"] = .string(envelope.taskID)
        logger[metadataKey: "attempt"] = .stringConvertible(envelope.attempt)
        if case .overflow(let pointer) = envelope.body {
            guard pointer.kind.isJob else {
                throw UndecodableMessage("an overflowed \(pointer.kind) message is not a job for a worker")
            }
            let context = SealingContext(key: key, workerID: workerID, envelope: envelope)
            switch try await overflow.read(envelope, pointer: pointer, context: context) {
            case .envelope(let stored):
                logger.debug("Overflowed job fetched", metadata: ["blob": .string(pointer.blobName)])
                envelope = stored
            case .failure(let failure):
                logger.warning("Overflowed job not fetched", metadata: ["reason": .string(failure.reason)])
                try await finish(envelope, .failure(failure))
                return
            }
        }
        guard envelope.kind.isJob || envelope.kind == .ping || envelope.kind == .shutdown else {
            throw UndecodableMessage("a \(envelope.kind) message is a reply, not a job for a worker")
        }
        if envelope.kind.isJob, envelope.deadline <= Date() {
            try await finish(envelope, .failure(DeliveryPolicy().expiredFailure(envelope, now: Date())))
            return
        }
        logger.info("Job received", metadata: ["kind": .string("\(envelope.kind)")])
        let job = envelope
        if envelope.kind.isJob {
            try await activity.running(envelope.jobID) {
                try await answer(job, dequeueCount: message.dequeueCount, logger: logger)
            }
        } else {
            try await answer(job, dequeueCount: message.dequeueCount, logger: logger)
        }
        logger.info("Job answered")
    }

    /// Runs the job of `envelope` and sends its replies.
    private func answer(_ envelope: Envelope, dequeueCount: Int, logger: Logger) async throws {
        let accepted = MessageBody.accepted(Accepted(dequeueCount: dequeueCount))
        switch envelope.body {
        case .backup(let job):
            try await send(envelope, accepted)
            try await finish(envelope, try await backup(job, envelope: envelope, logger: logger))
        case .archive(let job):
            try await send(envelope, accepted)
            try await finish(envelope, try await archive(job, envelope: envelope, logger: logger))
        case .verify(let job):
            try await send(envelope, accepted)
            try await finish(envelope, try await verify(job, envelope: envelope, logger: logger))
        case .maintenance(let job):
            try await send(envelope, accepted)
            try await finish(envelope, try await maintain(job, envelope: envelope, logger: logger))
        case .ping:
            let heartbeat = HeartbeatService.envelope(
                workerID: workerID,
                activity: activity,
                interval: progressInterval
            )
            guard case .heartbeat(let body) = heartbeat.body else { return }
            try await send(envelope, .heartbeat(body))
        default:
            try await finish(
                envelope,
                .failure(
                    JobFailure(
                        .permanent,
                        code: .unsupported,
                        reason: "this worker does not run \(envelope.kind) jobs yet; install a newer worker"
                    )
                )
            )
        }
    }

    public func poisoned(_ message: QueueMessage, reason: String) async {
        let header = try? codec.decode(text: message.text)
        let rejected = Rejected(
            messageID: message.id,
            dequeueCount: message.dequeueCount,
            cause: message.dequeueCount > 5 ? .tooManyDeliveries : .undecodable,
            reason: reason,
            poisonQueue: poisonQueue
        )
        let envelope = Envelope(
            jobID: header?.jobID ?? Envelope.unknownID,
            sessionID: header?.sessionID ?? Envelope.unknownID,
            taskID: header?.taskID ?? Envelope.unknownID,
            attempt: header?.attempt ?? 0,
            sent: Date(),
            deadline: Date().addingTimeInterval(3600),
            sender: .worker(workerID),
            body: .rejected(rejected)
        )
        do {
            try await replies.sendFinal(try encode(envelope), until: .now + .seconds(60))
        } catch {
            logger.error("Poison report not sent", metadata: ["message": .string(message.id)])
        }
    }

    // MARK: Backup

    private func backup(_ job: BackupJob, envelope: Envelope, logger: Logger) async throws -> JobResult {
        let started = ContinuousClock.now
        let account = RepositoryOpener.account(of: job.repository.location)
        do {
            let context = SealingContext(key: key, workerID: workerID, envelope: envelope)
            let repository = try await opener.open(job.repository, role: .repository, context: context)
            let existing = try await repository.listRestorePoints().map { point in
                (id: point.id, metadata: (try? JSONValue(parsing: point.metadata)) ?? .null)
            }
            if let id = DeliveryPolicy.publishedRestorePoint(of: envelope.jobID, among: existing) {
                logger.info("Job already done; answered again", metadata: ["restore_point": .string(id.hex)])
                return .success(JobSuccess(statistics: JobStatistics(), restorePoint: id, answeredAgain: true))
            }
            var disks: [SnapshotBackupDisk] = []
            for disk in job.disks {
                let snapshot = try SASURL(string: try context.open(disk.snapshot, as: .snapshot(disk.slot)))
                let previous = try disk.previousSnapshot.map {
                    try SASURL(string: try context.open($0, as: .previousSnapshot(disk.slot)))
                }
                disks.append(
                    SnapshotBackupDisk(
                        slot: disk.slot,
                        snapshot: snapshot,
                        previousSnapshot: previous,
                        diskSize: disk.sizeBytes
                    )
                )
            }
            let latest = Mutex(BackupProgress())
            var options = BackupOptions()
            options.parent = job.parent
            options.metadata = try JobMarker(envelope).stamped(on: job.metadata).encoded()
            options.progress = { progress in latest.withLock { $0 = progress } }
            let total = job.totalBytes
            let plannedDisks = disks
            let plannedOptions = options
            let readOptions = self.readOptions
            let client = self.client
            let outcome = try await withPeriodicReports(
                every: progressInterval,
                logger: logger,
                report: {
                    let now = latest.withLock { $0 }
                    let seconds = Self.seconds(ContinuousClock.now - started)
                    try await self.send(
                        envelope,
                        .progress(
                            Progress(
                                bytesTotal: total,
                                bytesRead: now.bytesRead,
                                bytesProcessed: now.bytesRead,
                                bytesStored: now.bytesStored,
                                bytesPerSecond: seconds > 0 ? Double(now.bytesRead) / seconds : 0
                            )
                        )
                    )
                },
                {
                    try await SnapshotBackup.run(
                        plannedDisks,
                        configuration: job.vm,
                        into: repository,
                        options: plannedOptions,
                        client: client,
                        readOptions: readOptions,
                        logger: logger
                    )
                }
            )
            let statistics = outcome.result.statistics
            let seconds = Self.seconds(ContinuousClock.now - started)
            return .success(
                JobSuccess(
                    statistics: JobStatistics(
                        bytesRead: outcome.bytesRead.values.reduce(0, +),
                        bytesProcessed: statistics.bytesRead,
                        bytesStored: statistics.bytesStored + statistics.metadataBytesWritten,
                        objectsWritten: statistics.packsWritten,
                        seconds: seconds
                    ),
                    restorePoint: outcome.result.restorePoint.id
                )
            )
        } catch let error where error is CancellationError || error is LeaseLost {
            throw error
        } catch {
            let failure = JobFailures.failure(error, account: account)
            logger.warning("Backup failed", metadata: ["reason": .string(failure.reason)])
            return .failure(failure)
        }
    }

    // MARK: Replies

    func encode(_ envelope: Envelope) throws -> String {
        try codec.encode(envelope, overflow: nil).text
    }

    func send(_ job: Envelope, _ body: MessageBody) async throws {
        try await replies.send(try encode(job.reply(body, from: .worker(workerID), sent: Date())))
    }

    /// Sends the final result, retrying until the job's deadline (at least one minute from now).
    func finish(_ job: Envelope, _ result: JobResult) async throws {
        let text = try encode(job.reply(.result(result), from: .worker(workerID), sent: Date()))
        let remaining = max(job.deadline.timeIntervalSinceNow, 60)
        try await replies.sendFinal(text, until: .now + .seconds(remaining))
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
