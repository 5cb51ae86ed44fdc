import AzureKit
import Foundation
import HTTPTypes
import Logging
import Testing

@testable import LocalCloud

/// `OperationManager.wait` suspends until the operation ends, and a cancelled waiter leaves nothing behind.
@Suite struct OperationWaitTests {
    /// An operation manager on a fresh folder, running its operations while `body` runs.
    private func withManager(_ body: (OperationManager) async throws -> Void) async throws {
        let folder = try TemporaryFolder("operations")
        defer { folder.remove() }
        let root = URL(fileURLWithPath: folder.path)
        let manager = try OperationManager(
            directory: root.appendingPathComponent("operations"),
            retryAfterSeconds: 0,
            faults: FaultInjector(file: root.appendingPathComponent("faults.json")),
            logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        )
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await manager.run() }
            defer { manager.stop() }
            try await body(manager)
        }
    }

    private var request: ARMRequest {
        ARMRequest(
            method: .put,
            path: "/subscriptions/s/resourceGroups/g/providers/Microsoft.Storage/storageAccounts/a",
            queryItems: [:],
            apiVersion: "2023-01-01",
            headers: HTTPFields(),
            body: nil,
            subscriptionID: "s",
            resourceGroup: "g",
            namespace: "Microsoft.Storage",
            typeSegments: ["storageAccounts", "a"],
            baseURL: "https://127.0.0.1:1"
        )
    }

    /// Waits (without a fixed sleep) until `condition` holds, failing after about ten seconds.
    private func eventually(_ what: String, _ condition: () -> Bool) async throws {
        for _ in 0..<10_000 where !condition() {
            try await Task.sleep(for: .milliseconds(1))
        }
        try #require(condition(), "\(what) did not happen")
    }

    @Test func waiterWakesWhenTheOperationCompletes() async throws {
        try await withManager { manager in
            let (gate, open) = AsyncStream.makeStream(of: Void.self)
            let operation = try await manager.begin(request, location: "westeurope") {
                for await _ in gate { break }
                return ["done": "yes"]
            }
            let waiter = Task { await manager.wait(operation.id) }
            try await eventually("the waiter suspending") { manager.waiterCount == 1 }
            #expect(manager.operation(operation.id)?.status == .inProgress)
            open.yield()
            let finished = await waiter.value
            #expect(finished?.status == .succeeded)
            #expect(finished?.result == ["done": "yes"])
            #expect(manager.waiterCount == 0)
            let record = try AtomicFile.readJSON(
                OperationRecord.self,
                from: manager.directory.appendingPathComponent("\(operation.id).json")
            )
            #expect(record?.status == "Succeeded", "the outcome is persisted when the waiter wakes")
        }
    }

    @Test func cancelledWaiterLeavesNothingBehind() async throws {
        try await withManager { manager in
            let (gate, open) = AsyncStream.makeStream(of: Void.self)
            let operation = try await manager.begin(request, location: "westeurope") {
                for await _ in gate { break }
                return nil
            }
            let waiters = (0..<3).map { _ in Task { await manager.wait(operation.id) } }
            try await eventually("the waiters suspending") { manager.waiterCount == 3 }
            waiters[0].cancel()
            let cancelled = await waiters[0].value
            #expect(cancelled?.status == .inProgress, "a cancelled waiter returns the operation as it is")
            #expect(manager.waiterCount == 2)
            open.yield()
            for waiter in waiters.dropFirst() {
                #expect(await waiter.value?.status == .succeeded)
            }
            #expect(manager.waiterCount == 0)
        }
    }

    @Test func waiterCancelledBeforeWaitingReturnsAtOnce() async throws {
        try await withManager { manager in
            let (gate, open) = AsyncStream.makeStream(of: Void.self)
            let operation = try await manager.begin(request, location: "westeurope") {
                for await _ in gate { break }
                return nil
            }
            let waiter = Task {
                withUnsafeCurrentTask { $0?.cancel() }
                return await manager.wait(operation.id)
            }
            #expect(await waiter.value?.status == .inProgress)
            #expect(manager.waiterCount == 0)
            open.yield()
            #expect(await manager.wait(operation.id)?.status == .succeeded)
        }
    }

    @Test func finishedAndUnknownOperationsAnswerAtOnce() async throws {
        try await withManager { manager in
            let done = try await manager.completed(request, location: "westeurope", result: ["x": "1"])
            #expect(await manager.wait(done.id)?.result == ["x": "1"])
            #expect(await manager.wait(UUID().uuidString) == nil)
            #expect(manager.waiterCount == 0)
        }
    }

    @Test func stoppingWakesWaiters() async throws {
        let folder = try TemporaryFolder("operations")
        defer { folder.remove() }
        let root = URL(fileURLWithPath: folder.path)
        let manager = try OperationManager(
            directory: root.appendingPathComponent("operations"),
            retryAfterSeconds: 0,
            faults: FaultInjector(file: root.appendingPathComponent("faults.json")),
            logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        )
        let operation = try await manager.begin(request, location: "westeurope") {
            try await Task.sleep(for: .seconds(3600))
            return nil
        }
        let runner = Task { await manager.run() }
        let waiter = Task { await manager.wait(operation.id) }
        try await eventually("the waiter suspending") { manager.waiterCount == 1 }
        manager.stop()
        #expect(await waiter.value?.status == .inProgress)
        await runner.value
        #expect(manager.waiterCount == 0)
    }
}
