import Foundation
import Synchronization
import Testing

@testable import Appliance

/// The step journal on a real catalog file: done steps are skipped after a restart, steps in intent run again with
/// the names first recorded, failures and deadlines are recorded with their reason.
@Suite struct JournaledTaskTests {
    /// A catalog in a fresh folder, and a session with one task.
    static func withTask(_ body: (Catalog, UUID, CatalogTestFolder) async throws -> Void) async throws {
        let folder = try CatalogTestFolder()
        defer { folder.remove() }
        let catalog = try await folder.catalog()
        let session = SessionRecord(kind: .backup, started: CatalogTestTime.base)
        try await catalog.insert(session)
        let task = TaskRecord(
            sessionID: session.id,
            vmResourceID: "/subscriptions/s/resourceGroups/g/providers/Microsoft.Compute/virtualMachines/vm"
        )
        try await catalog.insert(task)
        try await body(catalog, task.id, folder)
    }

    @Test func aDoneStepIsNotRunAgainAfterARestart() async throws {
        try await Self.withTask { catalog, task, folder in
            let runs = Mutex(0)
            let first = JournaledTask(catalog: catalog, taskID: task)
            let made = try await first.step("snapshots", resources: ["snapshot": "vm-abc-os"], deadline: .seconds(60)) {
                planned in
                runs.withLock { $0 += 1 }
                return ["snapshotID": "/subscriptions/s/snapshots/\(planned["snapshot"] ?? "?")"]
            }
            #expect(made == ["snapshot": "vm-abc-os", "snapshotID": "/subscriptions/s/snapshots/vm-abc-os"])
            // A new appliance process on the same catalog file.
            let reopened = try await folder.catalog()
            let again = try await JournaledTask(catalog: reopened, taskID: task).step(
                "snapshots",
                resources: ["snapshot": "another-name"],
                deadline: .seconds(60)
            ) { _ in
                runs.withLock { $0 += 1 }
                return [:]
            }
            #expect(runs.withLock { $0 } == 1)
            #expect(again == made)
        }
    }

    @Test func aStepLeftInIntentRunsAgainWithTheNamesFirstRecorded() async throws {
        try await Self.withTask { catalog, task, _ in
            // The appliance was killed while the step ran: only its intent is journaled.
            try await catalog.recordIntent(task: task, step: "worker", resources: ["vm": "nimbus-worker-westeurope-0"])
            let seen = Mutex<[String: String]>([:])
            let result = try await JournaledTask(catalog: catalog, taskID: task).step(
                "worker",
                resources: ["vm": "nimbus-worker-westeurope-7"],
                deadline: .seconds(60)
            ) { planned in
                seen.withLock { $0 = planned }
                return ["started": "yes"]
            }
            #expect(seen.withLock { $0 }["vm"] == "nimbus-worker-westeurope-0")
            #expect(result["vm"] == "nimbus-worker-westeurope-0")
            let journal = try await catalog.journal(task: task)
            #expect(journal.map(\.state) == [.done])
        }
    }

    @Test func aFailedOrOverdueStepIsRecordedWithItsReason() async throws {
        try await Self.withTask { catalog, task, _ in
            let steps = JournaledTask(catalog: catalog, taskID: task)
            await #expect(throws: ApplianceError.self) {
                try await steps.step("grant-access", deadline: .seconds(60)) { _ in
                    throw ApplianceError.cloud("the snapshot vm-abc-os is gone; take a new one")
                }
            }
            let error = await #expect(throws: ApplianceError.self) {
                try await steps.step("transfer", deadline: .milliseconds(50)) { _ in
                    try await Task.sleep(for: .seconds(3600))
                    return [:]
                }
            }
            guard case .timedOut(let message) = error else {
                Issue.record("expected a time-out, got \(String(describing: error))")
                return
            }
            #expect(message.contains("transfer"))
            let journal = try await catalog.journal(task: task)
            #expect(journal.map(\.step) == ["grant-access", "transfer"])
            #expect(journal.map(\.state) == [.failed, .failed])
            #expect(journal[0].error?.contains("vm-abc-os is gone") == true)
            #expect(journal[1].error?.contains("did not finish within") == true)
            // A retry sets a failed step back to intent and runs it.
            let retried = try await steps.step("grant-access", deadline: .seconds(60)) { _ in ["sas": "granted"] }
            #expect(retried["sas"] == "granted")
        }
    }

    @Test func aStoppedStepIsRecordedAsStopped() async throws {
        try await Self.withTask { catalog, task, _ in
            let steps = JournaledTask(catalog: catalog, taskID: task)
            let started = Mutex(false)
            let running = Task {
                try await steps.step("transfer", deadline: .seconds(3600)) { _ in
                    started.withLock { $0 = true }
                    try await Task.sleep(for: .seconds(3600))
                    return [:]
                }
            }
            while !started.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(10)) }
            running.cancel()
            _ = await running.result
            let journal = try await catalog.journal(task: task)
            #expect(journal.first?.state == .failed)
            #expect(journal.first?.error?.contains("stopped") == true)
        }
    }
}
