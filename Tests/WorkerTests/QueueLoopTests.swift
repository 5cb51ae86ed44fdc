import AzureKit
import Foundation
import LocalCloudTesting
import Synchronization
import Testing

@testable import Worker

/// A handler whose behaviour each test chooses, recording what the loop asked of it.
final class RecordingHandler: JobHandler {
    struct Record {
        var runs: [String] = []
        var poisoned: [(String, String)] = []
        var receipts: [String] = []
        var cancelled = 0
    }

    let record = Mutex(Record())
    let behaviour: @Sendable (QueueMessage, JobLease) async throws -> Void

    init(_ behaviour: @escaping @Sendable (QueueMessage, JobLease) async throws -> Void) {
        self.behaviour = behaviour
    }

    func run(_ message: QueueMessage, lease: JobLease) async throws {
        record.withLock {
            $0.runs.append(message.text)
            $0.receipts.append(message.popReceipt ?? "")
        }
        do {
            try await behaviour(message, lease)
        } catch is CancellationError {
            record.withLock { $0.cancelled += 1 }
            throw CancellationError()
        }
    }

    func poisoned(_ message: QueueMessage, reason: String) async {
        record.withLock { $0.poisoned.append((message.text, reason)) }
    }
}

/// Waits for `condition`, checking every 20 ms, for at most `limit`.
func eventually(_ limit: Duration = .seconds(60), _ condition: @Sendable () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}

@Suite struct QueueLoopTests {
    /// Runs a loop over fresh queues with `handler` while `body` runs, then stops it.
    static func withLoop(
        visibility: Duration = .seconds(2),
        handler: RecordingHandler,
        _ body: @Sendable (WorkerCloud, QueueClient, QueueLoopSettings) async throws -> Void
    ) async throws {
        try await WorkerCloud.with { cloud in
            let account = try await cloud.account("workerq\(UInt32.random(in: 0..<UInt32.max) % 100_000)")
            let queues = cloud.queues(account)
            let settings = QueueLoopSettings(
                jobQueue: "jobs",
                poisonQueue: "jobs-poison",
                visibilityTimeout: visibility,
                pollInterval: .milliseconds(50)
            )
            try await queues.createQueue("jobs", logger: WorkerCloud.quiet)
            try await queues.createQueue("jobs-poison", logger: WorkerCloud.quiet)
            let loop = QueueLoop(queues: queues, settings: settings, handler: handler, logger: WorkerCloud.quiet)
            let running = Task { try await loop.run() }
            do {
                try await body(cloud, queues, settings)
            } catch {
                running.cancel()
                _ = try? await running.value
                throw error
            }
            running.cancel()
            _ = try? await running.value
        }
    }

    @Test func aMessageFailingEveryAttemptIsPoisonedAfterFiveDequeues() async throws {
        struct Boom: Error {}
        let handler = RecordingHandler { _, _ in throw Boom() }
        try await Self.withLoop(handler: handler) { _, queues, settings in
            _ = try await queues.putMessage(queue: settings.jobQueue, text: "job-1", logger: WorkerCloud.quiet)
            #expect(try await eventually { handler.record.withLock { !$0.poisoned.isEmpty } })
            let record = handler.record.withLock { $0 }
            #expect(record.runs == Array(repeating: "job-1", count: 5))
            #expect(record.poisoned.first?.1.contains("6 times") == true)
            let poisoned = try await queues.peekMessages(queue: settings.poisonQueue, logger: WorkerCloud.quiet)
            #expect(poisoned.map(\.text) == ["job-1"])
            #expect(try await queues.peekMessages(queue: settings.jobQueue, logger: WorkerCloud.quiet).isEmpty)
        }
    }

    @Test func anUndecodableMessageIsPoisonedAtOnce() async throws {
        let handler = RecordingHandler { message, _ in throw UndecodableMessage("\(message.text) is not JSON") }
        try await Self.withLoop(handler: handler) { _, queues, settings in
            _ = try await queues.putMessage(queue: settings.jobQueue, text: "garbage", logger: WorkerCloud.quiet)
            #expect(try await eventually { handler.record.withLock { !$0.poisoned.isEmpty } })
            let record = handler.record.withLock { $0 }
            #expect(record.runs == ["garbage"])
            #expect(record.poisoned.first?.1.contains("garbage is not JSON") == true)
            let poisoned = try await queues.peekMessages(queue: settings.poisonQueue, logger: WorkerCloud.quiet)
            #expect(poisoned.map(\.text) == ["garbage"])
        }
    }

    @Test func aLongJobIsRenewedSoNoOneElseReceivesItAndItsMessageIsDeletedOnceDone() async throws {
        let leases = Mutex<[JobLease]>([])
        let finished = Mutex(false)
        let renewed = Mutex(false)
        let handler = RecordingHandler { _, lease in
            leases.withLock { $0.append(lease) }
            // Whatever ends the job (two renewals, or a cancellation when a renewal was lost), the test's
            // loop below must end too.
            defer { finished.withLock { $0 = true } }
            // Outlive the visibility timeout, counted in renewals rather than by the clock. The timeout leaves a
            // renewal (due at half of it) ten seconds of slack on a machine busy with other tests.
            while await lease.renewalCount < 2 { try await Task.sleep(for: .milliseconds(50)) }
            renewed.withLock { $0 = true }
        }
        try await Self.withLoop(visibility: .seconds(20), handler: handler) { _, queues, settings in
            _ = try await queues.putMessage(queue: settings.jobQueue, text: "long", logger: WorkerCloud.quiet)
            #expect(try await eventually { !leases.withLock { $0.isEmpty } })
            var stolen = 0
            let deadline = ContinuousClock.now + .seconds(180)
            while !finished.withLock({ $0 }), ContinuousClock.now < deadline {
                stolen += try await queues.getMessages(
                    queue: settings.jobQueue,
                    visibilityTimeout: .seconds(1),
                    logger: WorkerCloud.quiet
                ).count
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(
                renewed.withLock { $0 },
                "the job was renewed twice, past its visibility timeout, without losing its message"
            )
            #expect(stolen == 0)
            let lease = try #require(leases.withLock { $0.first })
            // Once answered, the message is deleted: renewing it finds nothing (or no longer accepts the receipt).
            #expect(
                try await eventually {
                    do {
                        try await lease.renew()
                        return false
                    } catch let error as AzureError {
                        return JobLease.meansLost(error)
                    }
                }
            )
            #expect(handler.record.withLock { $0.runs } == ["long"])
        }
    }

    @Test func aJobWhosePopReceiptIsLostStopsAndTheNextAttemptRunsIt() async throws {
        let client = Mutex<QueueClient?>(nil)
        let handler = RecordingHandler { message, _ in
            guard message.dequeueCount == 1, let queues = client.withLock({ $0 }) else { return }
            // Someone else takes the message over: its receipt changes and it becomes visible again.
            _ = try await queues.updateMessage(
                queue: "jobs",
                id: message.id,
                popReceipt: message.popReceipt ?? "",
                visibilityTimeout: .zero,
                logger: WorkerCloud.quiet
            )
            try await Task.sleep(for: .seconds(3600))
        }
        try await Self.withLoop(visibility: .seconds(2), handler: handler) { _, queues, settings in
            client.withLock { $0 = queues }
            _ = try await queues.putMessage(queue: settings.jobQueue, text: "taken", logger: WorkerCloud.quiet)
            #expect(try await eventually { handler.record.withLock { $0.runs.count == 2 } })
            #expect(try await eventually { handler.record.withLock { $0.cancelled == 1 } })
            #expect(
                try await eventually {
                    try await queues.peekMessages(queue: settings.jobQueue, logger: WorkerCloud.quiet).isEmpty
                }
            )
            #expect(handler.record.withLock { $0.poisoned.isEmpty })
        }
    }
}
