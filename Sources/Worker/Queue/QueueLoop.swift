import AzureKit
import Foundation
import Logging
import ServiceLifecycle

/// The worker's queue loop as a `Service`: receives job messages, holds each with a ``JobLease`` while its
/// ``JobHandler`` runs it, deletes it once answered, and moves poison messages aside.
///
/// A message received more than ``QueueLoopSettings/maxDequeueCount`` times, or one the handler cannot
/// decode, is copied to the poison queue, deleted from the job queue and reported through
/// ``JobHandler/poisoned(_:reason:)``: it is never retried forever. On graceful shutdown (SIGTERM) the running
/// job is cancelled and its message made visible again at once, so another attempt picks it up.
public struct QueueLoop: Service {
    private let queues: QueueClient
    private let poisonQueues: QueueClient
    private let settings: QueueLoopSettings
    private let handler: any JobHandler
    private let logger: Logger

    /// Creates the loop; `poisonQueues` reaches the poison queue when its SAS differs from the job queue's.
    public init(
        queues: QueueClient,
        settings: QueueLoopSettings,
        handler: any JobHandler,
        logger: Logger,
        poisonQueues: QueueClient? = nil
    ) {
        self.queues = queues
        self.poisonQueues = poisonQueues ?? queues
        self.settings = settings
        self.handler = handler
        self.logger = logger
    }

    /// Runs until graceful shutdown or cancellation; `concurrentJobs` receivers work side by side.
    public func run() async throws {
        try await withThrowingDiscardingTaskGroup { group in
            for _ in 0..<max(1, settings.concurrentJobs) {
                group.addTask { try await receiveLoop() }
            }
        }
    }

    private func receiveLoop() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            let messages: [QueueMessage]
            do {
                messages = try await cancelWhenGracefulShutdown {
                    try await queues.getMessages(
                        queue: settings.jobQueue,
                        count: 1,
                        visibilityTimeout: settings.visibilityTimeout,
                        logger: logger
                    )
                }
            } catch is CancellationError {
                return
            } catch {
                logger.warning(
                    "Receiving from the job queue failed",
                    metadata: ["queue": .string(settings.jobQueue), "error": .string("\(error)")]
                )
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: settings.pollInterval) }
                continue
            }
            guard let message = messages.first else {
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: settings.pollInterval) }
                continue
            }
            await process(message)
        }
    }

    /// Runs one message to its end: answered, poisoned, lost, or given back.
    func process(_ message: QueueMessage) async {
        var metadata: Logger.Metadata = [
            "queue": .string(settings.jobQueue), "message": .string(message.id),
            "dequeue_count": .stringConvertible(message.dequeueCount),
        ]
        if message.dequeueCount > settings.maxDequeueCount {
            await poison(
                message,
                reason:
                    "the message was received \(message.dequeueCount) times, more than \(settings.maxDequeueCount); "
                    + "the job failed on every attempt, see the worker's log"
            )
            return
        }
        let lease: JobLease
        do {
            lease = try JobLease(
                message: message,
                queue: settings.jobQueue,
                queues: queues,
                visibilityTimeout: settings.visibilityTimeout,
                logger: logger
            )
        } catch {
            logger.warning("Job message not held", metadata: metadata.merging(["error": "\(error)"]) { $1 })
            return
        }
        do {
            let handler = self.handler
            try await cancelWhenGracefulShutdown {
                try await lease.hold { try await handler.run(message, lease: lease) }
            }
            try await Self.unlessCancelled { try await lease.complete() }
        } catch let error as UndecodableMessage {
            await poison(message, reason: "the message is not a job this worker understands: \(error.reason)")
        } catch let error as LeaseLost {
            logger.warning("Job stopped", metadata: metadata.merging(["reason": "\(error)"]) { $1 })
        } catch {
            metadata["error"] = "\(error)"
            logger.info("Job given back to the queue", metadata: metadata)
            do {
                try await Self.unlessCancelled { try await lease.abandon() }
            } catch {
                logger.warning("Job message not given back", metadata: metadata.merging(["error": "\(error)"]) { $1 })
            }
        }
    }

    /// Copies `message` to the poison queue, deletes it from the job queue and reports it.
    func poison(_ message: QueueMessage, reason: String) async {
        let metadata: Logger.Metadata = [
            "queue": .string(settings.jobQueue), "message": .string(message.id), "reason": .string(reason),
        ]
        logger.error("Job message poisoned", metadata: metadata)
        do {
            try await Self.unlessCancelled {
                _ = try await poisonQueues.putMessage(queue: settings.poisonQueue, text: message.text, logger: logger)
                if let receipt = message.popReceipt {
                    try await queues.deleteMessage(
                        queue: settings.jobQueue,
                        id: message.id,
                        popReceipt: receipt,
                        logger: logger
                    )
                }
            }
        } catch {
            logger.error("Poison message not moved", metadata: metadata.merging(["error": "\(error)"]) { $1 })
        }
        await handler.poisoned(message, reason: reason)
    }

    /// Runs `work` in a task of its own, so that a cancelled job can still tidy its message up.
    static func unlessCancelled(_ work: @escaping @Sendable () async throws -> Void) async throws {
        try await Task { try await work() }.value
    }
}
