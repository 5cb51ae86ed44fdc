import Foundation
import Logging

/// The steps of one task, run under the catalog's journal.
///
/// Each step records its intent, with the deterministic names of what it will create, before it acts, and its
/// result after. A step the journal already has as done is not run again: its recorded resources are returned.
/// A step found in intent (the appliance stopped while it ran) runs again with the names its first attempt
/// recorded, so it finds what that attempt created instead of creating a second copy. Journal writes are made
/// even when the task is being stopped, so a stop is recorded, never lost.
public struct JournaledTask: Sendable {
    /// The catalog holding the journal.
    public let catalog: Catalog
    /// The task whose steps these are.
    public let taskID: UUID
    private let now: @Sendable () -> Date

    /// The steps of `taskID` in `catalog`; `now` stamps the journal (tests pass a controlled clock).
    public init(catalog: Catalog, taskID: UUID, now: @escaping @Sendable () -> Date = { Date() }) {
        self.catalog = catalog
        self.taskID = taskID
        self.now = now
    }

    /// Runs the step `name` unless it is done: records its intent with `resources`, runs `body` within `deadline`
    /// with the resources recorded first (the same names after a restart), and records what it returns.
    ///
    /// - Returns: the step's resources: those recorded with the intent, merged with those `body` returned.
    /// - Throws: what `body` threw (recorded as the step's failure), or ``ApplianceError/timedOut(_:)`` when the
    ///   deadline passed first (the body is cancelled).
    @discardableResult
    public func step(
        _ name: String,
        resources: [String: String] = [:],
        deadline: Duration,
        _ body: @escaping @Sendable (_ planned: [String: String]) async throws -> [String: String]
    ) async throws -> [String: String] {
        let (catalog, taskID, now) = (self.catalog, self.taskID, self.now)
        let entry = try await Self.journal {
            try await catalog.recordIntent(task: taskID, step: name, resources: resources, at: now())
        }
        if entry.state == .done { return entry.resources }
        let produced: [String: String]
        do {
            produced = try await Self.within(deadline, step: name) { try await body(entry.resources) }
        } catch {
            let reason = Self.reason(for: error, step: name)
            _ = try? await Self.journal {
                try await catalog.recordResult(task: taskID, step: name, outcome: .failed(reason: reason), at: now())
            }
            throw error
        }
        let done = try await Self.journal {
            try await catalog.recordResult(task: taskID, step: name, outcome: .done(resources: produced), at: now())
        }
        return done.resources
    }

    /// Appends a line to the task's live log (never failing the task for it).
    public func log(_ level: TaskLogLine.Level, _ message: String) async {
        let (catalog, taskID, now) = (self.catalog, self.taskID, self.now)
        _ = try? await Self.journal {
            try await catalog.appendLog(task: taskID, level: level, message: message, at: now())
        }
    }

    /// The sentence recorded for a step that failed with `error`.
    static func reason(for error: any Error, step: String) -> String {
        switch error {
        case is CancellationError: "the step \(step) was stopped before it finished"
        case let error as ApplianceError: error.description
        default: "\(error)"
        }
    }

    /// Runs a journal write in a task of its own, so that a stopped (cancelled) task still records what happened.
    static func journal<T: Sendable>(_ write: @escaping @Sendable () async throws -> T) async throws -> T {
        try await Task { try await write() }.value
    }

    /// Runs `body`, cancelling it and throwing ``ApplianceError/timedOut(_:)`` when `deadline` passes first.
    static func within<T: Sendable>(
        _ deadline: Duration,
        step: String,
        _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: deadline)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else {
                throw ApplianceError.timedOut(
                    "the step \(step) did not finish within \(deadline); it was stopped, and the session's "
                        + "clean-up removes what it left. Retry the session, or look at the task's log for what it waited on"
                )
            }
            return value
        }
    }
}
