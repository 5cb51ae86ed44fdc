import AzureKit
import Foundation
import Logging

/// A job message held by its visibility timeout, renewed with Update Message at half the timeout.
///
/// ``hold(_:)`` runs the job while a renewal loop keeps the message invisible to other workers. When the pop
/// receipt is lost (the message was deleted, or another worker received it after the timeout ran out), the job
/// is cancelled and ``LeaseLost`` is thrown: that attempt must stop, another one owns the message now.
///
/// Every request that uses the pop receipt (renew, complete, abandon) runs one at a time, and runs to its end
/// even when its caller is cancelled: each one changes or consumes the receipt on the server, so two in flight
/// at once, or one abandoned half-way, would leave the lease holding a receipt the queue no longer accepts.
public actor JobLease {
    /// The queue the message came from.
    public nonisolated let queue: String
    /// The message's ID.
    public nonisolated let messageID: String
    /// How long each renewal hides the message.
    public nonisolated let visibilityTimeout: Duration
    private let queues: QueueClient
    private let logger: Logger
    private let sleep: @Sendable (Duration) async throws -> Void
    private var popReceipt: String
    private var renewals = 0
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// The renewals made so far.
    public var renewalCount: Int { renewals }

    /// Holds `message` (received with `visibilityTimeout`) from `queue`.
    /// - Parameter sleep: How the renewal loop waits; tests pass a controlled one.
    public init(
        message: QueueMessage,
        queue: String,
        queues: QueueClient,
        visibilityTimeout: Duration,
        logger: Logger,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) throws {
        guard let receipt = message.popReceipt else {
            throw WorkerFailure.transient("the message \(message.id) of queue \(queue) came without a pop receipt")
        }
        self.queue = queue
        self.messageID = message.id
        self.visibilityTimeout = visibilityTimeout
        self.queues = queues
        self.logger = logger
        self.sleep = sleep
        self.popReceipt = receipt
    }

    /// Runs `job` while the message is renewed; cancels it and throws ``LeaseLost`` when the receipt is lost.
    public func hold<T: Sendable>(_ job: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: Outcome<T>.self) { group in
            group.addTask { .finished(try await job()) }
            group.addTask {
                try await self.renewUntilLost()
                return .lost
            }
            defer { group.cancelAll() }
            while let outcome = try await group.next() {
                switch outcome {
                case .finished(let value): return value
                case .lost: throw LeaseLost(queue: queue, messageID: messageID)
                }
            }
            throw CancellationError()
        }
    }

    private enum Outcome<T: Sendable>: Sendable {
        case finished(T)
        case lost
    }

    /// Renews at half the timeout; returns when the receipt is gone or the timeout ran out unrenewed.
    private func renewUntilLost() async throws {
        var lastRenewal = ContinuousClock.now
        while true {
            try await sleep(visibilityTimeout / 2)
            do {
                try await renew()
                lastRenewal = .now
            } catch let error as AzureError where Self.meansLost(error) {
                logger.warning(
                    "Job message lost",
                    metadata: ["queue": .string(queue), "message": .string(messageID), "error": .string("\(error)")]
                )
                return
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                // Passing trouble: try again sooner, unless the message may already be visible to others.
                if ContinuousClock.now - lastRenewal >= visibilityTimeout { return }
                logger.info(
                    "Job message renewal failed; retrying",
                    metadata: ["queue": .string(queue), "message": .string(messageID), "error": .string("\(error)")]
                )
            }
        }
    }

    /// Extends the message's invisibility by the timeout now.
    public func renew() async throws {
        try await withReceipt { queues, receipt, queue, id, timeout, logger in
            let renewed = try await queues.updateMessage(
                queue: queue,
                id: id,
                popReceipt: receipt,
                visibilityTimeout: timeout,
                logger: logger
            )
            return renewed.popReceipt
        }
        renewals += 1
    }

    /// Deletes the message: the job is answered and must not run again.
    public func complete() async throws {
        try await withReceipt { queues, receipt, queue, id, _, logger in
            do {
                try await queues.deleteMessage(queue: queue, id: id, popReceipt: receipt, logger: logger)
            } catch let error as AzureError where error.isNotFound {
                // Already gone: nothing is left to delete.
            }
            return nil
        }
    }

    /// Makes the message visible again at once, so that another worker (or this one) runs the job.
    public func abandon() async throws {
        try await withReceipt { queues, receipt, queue, id, _, logger in
            let updated = try await queues.updateMessage(
                queue: queue,
                id: id,
                popReceipt: receipt,
                visibilityTimeout: .zero,
                logger: logger
            )
            return updated.popReceipt
        }
    }

    /// Runs `request` with the current receipt, alone and to its end, and keeps the receipt it returns.
    private func withReceipt(
        _ request: @escaping @Sendable (QueueClient, String, String, String, Duration, Logger) async throws -> String?
    ) async throws {
        await acquire()
        defer { release() }
        let (queues, receipt, queue, id, timeout, logger) =
            (self.queues, popReceipt, self.queue, messageID, visibilityTimeout, self.logger)
        // An unstructured task: cancelling the caller must not cut off a request the queue may already have applied.
        let next = try await Task { try await request(queues, receipt, queue, id, timeout, logger) }.value
        if let next { popReceipt = next }
    }

    private func acquire() async {
        guard busy else {
            busy = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    private func release() {
        if waiters.isEmpty {
            busy = false
        } else {
            waiters.removeFirst().resume()
        }
    }

    /// Whether an Update Message error says the receipt is no longer ours.
    static func meansLost(_ error: AzureError) -> Bool {
        guard error.code == .service else { return false }
        return error.status == 404 || error.azureCode == "PopReceiptMismatch" || error.azureCode == "MessageNotFound"
    }
}

/// The job's message was taken by another receiver or deleted: the attempt stopped.
public struct LeaseLost: Error, Sendable, CustomStringConvertible {
    /// The queue.
    public var queue: String
    /// The message.
    public var messageID: String

    /// A sentence for logs.
    public var description: String {
        "the message \(messageID) of queue \(queue) is no longer held by this worker; the job was stopped"
    }
}
