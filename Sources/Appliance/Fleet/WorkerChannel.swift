import AzureKit
import Foundation
import Logging
import NIOCore
import WorkerProtocol

/// The appliance's side of the queues of one worker: sends it jobs, follows its replies.
///
/// Jobs go on the worker's job queue as ``WorkerProtocol`` envelopes (an envelope too large for a message goes to
/// the overflow container first, and the message points to it). Replies come back on the appliance's reply
/// queue, which all of its workers share: a reply from another worker or for another job is left on the queue
/// (it becomes visible again after ``Settings/replyVisibility`` for whoever follows that job); a reply for this job
/// from an attempt other than the one followed is deleted and ignored; every reply applied is deleted once handled;
/// a reply that does not decode is moved to the reply poison queue.
public struct WorkerChannel: Sendable {
    /// How replies are polled.
    public struct Settings: Sendable {
        /// How long a received reply stays hidden from other followers: short, so that a reply for another job
        /// soon reaches its own follower.
        public var replyVisibility: Duration = .seconds(2)
        /// The pause between polls of an empty reply queue.
        public var pollInterval: Duration = .milliseconds(250)

        /// The defaults.
        public init() {}
    }

    /// The HTTP client.
    public let client: AzureClient
    /// The appliance's storage account, holding the queues and the overflow container.
    public let messaging: StorageAccess
    /// The appliance's protocol ID (the sender of its messages; names its reply queue).
    public let applianceID: String
    /// The worker.
    public let workerID: String
    /// The worker's key.
    public let key: WorkerKey
    /// Polling settings.
    public var settings = Settings()

    /// A channel to `workerID`, whose secrets are sealed with `key`.
    public init(client: AzureClient, messaging: StorageAccess, applianceID: String, workerID: String, key: WorkerKey) {
        self.client = client
        self.messaging = messaging
        self.applianceID = applianceID
        self.workerID = workerID
        self.key = key
    }

    /// The worker's job queue.
    public var jobQueue: String { QueueNames.jobs(worker: workerID) }
    /// The appliance's reply queue.
    public var replyQueue: String { QueueNames.replies(appliance: applianceID) }

    /// The context to seal a job's secrets in.
    public func sealing(_ jobID: String) -> SealingContext {
        SealingContext(key: key, workerID: workerID, jobID: jobID)
    }

    /// Puts a message for the worker on its job queue.
    public func send(_ body: MessageBody, job: JobIdentity, now: Date = Date(), logger: Logger) async throws {
        let envelope = Envelope(
            jobID: job.jobID,
            sessionID: job.sessionID,
            taskID: job.taskID,
            attempt: job.attempt,
            sent: now,
            deadline: job.deadline,
            sender: .appliance(applianceID),
            body: body
        )
        let message = try EnvelopeCodec().encode(envelope, overflow: overflowTarget(now: now))
        if let blob = message.overflowBlob {
            try await messaging.blobs(client).upload(
                container: QueueNames.overflowContainer,
                blob: blob.name,
                data: ByteBuffer(bytes: blob.bytes),
                logger: logger
            )
        }
        try await messaging.queues(client).putMessage(queue: jobQueue, text: message.text, logger: logger)
        logger.debug(
            "Message sent to worker",
            metadata: ["worker.id": "\(workerID)", "job.id": "\(job.jobID)", "message.kind": "\(body.kind)"]
        )
    }

    /// Sends a job and follows its replies until its result.
    /// - Parameter onReply: called with every reply of the job's attempt (accepted, progress, step done, result).
    /// - Returns: The job's result; a `rejected` reply (the worker moved the job to its poison queue) is a permanent
    ///   failure.
    /// - Throws: ``ApplianceError/timedOut(_:)`` when no result came before the job's deadline.
    public func run(
        _ body: MessageBody,
        job: JobIdentity,
        logger: Logger,
        onReply: @Sendable (Envelope) async -> Void = { _ in }
    ) async throws -> JobResult {
        try await send(body, job: job, logger: logger)
        return try await follow(job, logger: logger) { envelope in
            await onReply(envelope)
            switch envelope.body {
            case .result(let result):
                return result
            case .rejected(let rejected):
                return .failure(
                    JobFailure(
                        .permanent,
                        code: .invalidJob,
                        reason: "worker \(workerID) moved the job to \(rejected.poisonQueue) (\(rejected.cause)): "
                            + rejected.reason
                    )
                )
            default:
                return nil
            }
        }
    }

    /// Pings the worker and waits for its heartbeat.
    /// - Throws: ``ApplianceError/timedOut(_:)`` when none came before `deadline`.
    public func ping(deadline: Date, logger: Logger) async throws -> Heartbeat {
        let job = JobIdentity(
            jobID: "ping-\(UUID().uuidString.lowercased())",
            sessionID: "fleet",
            taskID: workerID,
            attempt: 1,
            deadline: deadline
        )
        try await send(.ping(Ping()), job: job, logger: logger)
        return try await follow(job, logger: logger) { envelope in
            if case .heartbeat(let heartbeat) = envelope.body { return heartbeat }
            return nil
        }
    }

    /// Reads replies of `job` until `handle` returns a value, or the job's deadline passes.
    public func follow<T: Sendable>(
        _ job: JobIdentity,
        logger: Logger,
        handle: (Envelope) async throws -> T?
    ) async throws -> T {
        let queues = messaging.queues(client)
        let codec = EnvelopeCodec()
        while true {
            try Task.checkCancellation()
            guard Date() < job.deadline else {
                throw ApplianceError.timedOut(
                    "worker \(workerID) did not finish job \(job.jobID) (attempt \(job.attempt)) before its deadline "
                        + "\(job.deadline); check that the worker VM is running and reaches its queues"
                )
            }
            let messages = try await queues.getMessages(
                queue: replyQueue,
                count: 32,
                visibilityTimeout: settings.replyVisibility,
                logger: logger
            )
            for message in messages {
                guard let receipt = message.popReceipt else { continue }
                let envelope: Envelope
                do {
                    envelope = try await decode(message.text, codec: codec, logger: logger)
                } catch {
                    logger.warning(
                        "Undecodable reply moved to the poison queue",
                        metadata: ["queue.message": "\(message.id)", "error": "\(error)"]
                    )
                    try await queues.putMessage(
                        queue: QueueNames.repliesPoison(appliance: applianceID),
                        text: message.text,
                        logger: logger
                    )
                    try await queues.deleteMessage(
                        queue: replyQueue,
                        id: message.id,
                        popReceipt: receipt,
                        logger: logger
                    )
                    continue
                }
                guard envelope.sender.id == workerID, envelope.jobID == job.jobID else { continue }
                guard envelope.attempt == job.attempt else {
                    logger.info(
                        "Reply of another attempt ignored",
                        metadata: [
                            "job.id": "\(job.jobID)", "job.attempt": "\(job.attempt)",
                            "reply.attempt": "\(envelope.attempt)",
                        ]
                    )
                    try await queues.deleteMessage(
                        queue: replyQueue,
                        id: message.id,
                        popReceipt: receipt,
                        logger: logger
                    )
                    continue
                }
                let value = try await handle(envelope)
                try await queues.deleteMessage(queue: replyQueue, id: message.id, popReceipt: receipt, logger: logger)
                if let value { return value }
            }
            if messages.isEmpty { try await Task.sleep(for: settings.pollInterval) }
        }
    }

    /// The envelope of a reply's text; an overflow pointer is resolved through its blob.
    func decode(_ text: String, codec: EnvelopeCodec, logger: Logger) async throws -> Envelope {
        let envelope = try codec.decode(text: text)
        guard case .overflow(let pointer) = envelope.body else { return envelope }
        guard pointer.length <= EnvelopeCodec.maxOverflowBytes else { return try codec.resolve(envelope, blob: Data()) }
        let blob = try await messaging.blobs(client).downloadData(
            container: QueueNames.overflowContainer,
            blob: pointer.blobName,
            maxBytes: EnvelopeCodec.maxOverflowBytes,
            logger: logger
        )
        return try codec.resolve(envelope, blob: Data(blob.readableBytesView))
    }

    /// Where the appliance's large envelopes go: the overflow container, each blob with its own read SAS.
    func overflowTarget(now: Date) -> OverflowTarget {
        let messaging = self.messaging
        return OverflowTarget(key: key, workerID: workerID) { name in
            let sas = BlobSASBuilder(
                container: QueueNames.overflowContainer,
                blob: name,
                permissions: .read,
                expiresOn: now.addingTimeInterval(7 * 86_400)
            ).sign(with: messaging.credential)
            return StorageAccess.url(messaging.blobEndpoint, "\(QueueNames.overflowContainer)/\(name)", sas: sas)
        }
    }
}
