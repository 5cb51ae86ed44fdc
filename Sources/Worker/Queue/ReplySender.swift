import AzureKit
import Logging

/// Sends replies to the appliance's queue. Progress and heartbeats are sent once (a lost one is replaced by the
/// next); the final reply is retried with backoff until it is sent or its deadline passes.
public struct ReplySender: Sendable {
    private let queues: QueueClient
    private let queue: String
    private let logger: Logger
    private let maxWait: Duration

    /// Creates a sender to `queue`; `maxWait` caps the backoff between attempts at a final reply.
    public init(queues: QueueClient, queue: String, logger: Logger, maxWait: Duration = .seconds(5)) {
        self.queues = queues
        self.queue = queue
        self.logger = logger
        self.maxWait = maxWait
    }

    /// Sends `text` once (the pipeline's retries included).
    public func send(_ text: String) async throws {
        _ = try await queues.putMessage(queue: queue, text: text, logger: logger)
    }

    /// Sends `text` (a final reply), retrying until it is sent or `deadline` passes; works even when the calling
    /// task is cancelled, so a stopping worker still answers.
    /// - Throws: The last error when the deadline passed without the reply being sent.
    public func sendFinal(_ text: String, until deadline: ContinuousClock.Instant) async throws {
        let queues = self.queues
        let queue = self.queue
        let logger = self.logger
        let maxWait = self.maxWait
        try await Task {
            var wait = Duration.milliseconds(200)
            while true {
                do {
                    _ = try await queues.putMessage(queue: queue, text: text, logger: logger)
                    return
                } catch {
                    guard ContinuousClock.now + wait < deadline else { throw error }
                    logger.warning(
                        "Final reply not sent; retrying",
                        metadata: ["queue": .string(queue), "error": .string("\(error)")]
                    )
                    try await Task.sleep(for: wait)
                    wait = min(wait * 2, maxWait)
                }
            }
        }.value
    }
}

/// Runs `body` while `report` is called every `interval` (a progress reply or a heartbeat); a failed report is
/// logged and the next one tried on time.
public func withPeriodicReports<T: Sendable>(
    every interval: Duration,
    logger: Logger,
    report: @escaping @Sendable () async throws -> Void,
    _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            while true {
                try await Task.sleep(for: interval)
                do {
                    try await report()
                } catch is CancellationError {
                    throw CancellationError()
                } catch {
                    logger.info("Periodic report not sent", metadata: ["error": .string("\(error)")])
                }
            }
        }
        defer { group.cancelAll() }
        while let next = try await group.next() {
            if let value = next { return value }
        }
        throw CancellationError()
    }
}
