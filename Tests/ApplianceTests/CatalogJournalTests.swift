import Foundation
import Testing

@testable import Appliance

@Suite struct CatalogJournalTests {
    /// A catalog with one session and one task.
    private func task(in folder: CatalogTestFolder) async throws -> (Catalog, UUID) {
        let catalog = try await folder.catalog()
        let session = SessionRecord(kind: .backup, started: CatalogTestTime.at(0))
        try await catalog.insert(session)
        let task = TaskRecord(sessionID: session.id, vmResourceID: "/vm/a")
        try await catalog.insert(task)
        return (catalog, task.id)
    }

    @Test func stepsKeepTheOrderOfTheirIntentsAndMoveFromIntentToDone() async throws {
        let folder = try CatalogTestFolder()
        defer { folder.remove() }
        let (catalog, task) = try await task(in: folder)
        try await catalog.recordIntent(
            task: task,
            step: "snapshots",
            resources: ["os": "snap-os"],
            at: CatalogTestTime.at(1)
        )
        try await catalog.recordIntent(task: task, step: "infrastructure", at: CatalogTestTime.at(2))
        var journal = try await catalog.journal(task: task)
        #expect(journal.map(\.step) == ["snapshots", "infrastructure"])
        #expect(journal.map(\.sequence) == [1, 2])
        #expect(journal.allSatisfy { $0.state == .intent && $0.ended == nil })

        let done = try await catalog.recordResult(
            task: task,
            step: "snapshots",
            outcome: .done(resources: ["os.id": "/snapshots/snap-os"]),
            at: CatalogTestTime.at(3)
        )
        #expect(done.state == .done)
        #expect(done.resources == ["os": "snap-os", "os.id": "/snapshots/snap-os"])
        #expect(done.ended == CatalogTestTime.at(3))
        try await catalog.recordIntent(task: task, step: "transfer", at: CatalogTestTime.at(4))
        journal = try await catalog.journal(task: task)
        #expect(journal.map(\.step) == ["snapshots", "infrastructure", "transfer"])
        #expect(journal.map(\.state) == [.done, .intent, .intent])
    }

    @Test func aRepeatedIntentReturnsTheFirstNamesAndARetryOfAFailedStepKeepsItsPlace() async throws {
        let folder = try CatalogTestFolder()
        defer { folder.remove() }
        let (catalog, task) = try await task(in: folder)
        try await catalog.recordIntent(
            task: task,
            step: "grant",
            resources: ["sas": "grant-1"],
            at: CatalogTestTime.at(1)
        )
        try await catalog.recordIntent(task: task, step: "transfer", at: CatalogTestTime.at(2))

        // A restarted appliance repeats the intent: the journal keeps what the first attempt named.
        let again = try await catalog.recordIntent(task: task, step: "grant", resources: ["sas": "grant-2"])
        #expect(again.resources == ["sas": "grant-1"])
        #expect(again.started == CatalogTestTime.at(1))
        #expect(again.sequence == 1)

        let failed = try await catalog.recordResult(task: task, step: "grant", outcome: .failed(reason: "429"))
        #expect(failed.state == .failed)
        #expect(failed.error == "429")
        let retried = try await catalog.recordIntent(task: task, step: "grant", at: CatalogTestTime.at(9))
        #expect(retried.state == .intent)
        #expect(retried.error == nil)
        #expect(retried.sequence == 1)
        #expect(retried.resources == ["sas": "grant-1"])
        #expect(try await catalog.journal(task: task).map(\.step) == ["grant", "transfer"])

        // A finished step is returned as done, so the runner skips it.
        try await catalog.recordResult(task: task, step: "grant", outcome: .done())
        #expect(try await catalog.recordIntent(task: task, step: "grant").state == .done)
    }

    @Test func aResultWithoutAnIntentIsRefused() async throws {
        let folder = try CatalogTestFolder()
        defer { folder.remove() }
        let (catalog, task) = try await task(in: folder)
        await #expect {
            try await catalog.recordResult(task: task, step: "deallocate", outcome: .done())
        } throws: { error in
            guard let error = error as? ApplianceError, case .notFound(let message) = error else { return false }
            return message.contains("deallocate") && message.contains("no recorded intent")
        }
        #expect(try await catalog.journal(task: task).isEmpty)
    }

    @Test func theLogIsReadInOrderFromAGivenLine() async throws {
        let folder = try CatalogTestFolder()
        defer { folder.remove() }
        let (catalog, task) = try await task(in: folder)
        var lines: [TaskLogLine] = []
        for index in 0..<5 {
            lines.append(
                try await catalog.appendLog(
                    task: task,
                    level: index == 4 ? .error : .info,
                    message: "line \(index)",
                    at: CatalogTestTime.at(index)
                )
            )
        }
        #expect(try await catalog.log(task: task).map(\.message) == lines.map(\.message))
        let tail = try await catalog.log(task: task, after: lines[1].id, limit: 2)
        #expect(tail.map(\.message) == ["line 2", "line 3"])
        #expect(try await catalog.log(task: UUID()).isEmpty)
    }
}
