import Foundation
import GRDB

extension Catalog {
    /// How a journaled step ended.
    public enum StepOutcome: Sendable, Hashable {
        /// It finished; `resources` are added to (or replace) the names the intent recorded.
        case done(resources: [String: String] = [:])
        /// It failed, for a reason a person can act on.
        case failed(reason: String)
    }

    /// The journal of `task`: its steps in the order their intents were first recorded.
    public func journal(task: UUID) async throws -> [TaskStepRecord] {
        try await pool.read { db in
            try TaskStepRecord.filter(Column("taskID") == task).order(Column("sequence")).fetchAll(db)
        }
    }

    /// Records that `task` is about to run `step`, creating `resources` (their deterministic names), before the
    /// step calls Azure.
    ///
    /// Idempotent: when the step is already journaled its entry is returned unchanged if it is done or in
    /// intent (a restart repeats the step with the names recorded first), and set back to intent, keeping its
    /// place, if it failed (a retry). A new step goes after every other step of the task.
    /// - Returns: the step's entry; check ``TaskStepRecord/state`` for `done` to skip a finished step.
    @discardableResult
    public func recordIntent(
        task: UUID,
        step: String,
        resources: [String: String] = [:],
        at time: Date = Date()
    ) async throws -> TaskStepRecord {
        try await write { db in
            let key: [String: (any DatabaseValueConvertible)?] = ["taskID": task, "step": step]
            if var existing = try TaskStepRecord.fetchOne(db, key: key) {
                guard existing.state == .failed else { return existing }
                existing.state = .intent
                existing.resources.merge(resources) { _, new in new }
                existing.started = time
                existing.ended = nil
                existing.error = nil
                try existing.update(db)
                return existing
            }
            let last =
                try Int.fetchOne(
                    db,
                    sql: "SELECT MAX(sequence) FROM \(TaskStepRecord.databaseTableName) WHERE taskID = ?",
                    arguments: [task]
                ) ?? 0
            let entry = TaskStepRecord(
                taskID: task,
                step: step,
                sequence: last + 1,
                resources: resources,
                started: time
            )
            try entry.insert(db)
            return entry
        }
    }

    /// Records how `step` of `task` ended, after it acted.
    /// - Throws: ``ApplianceError/notFound(_:)`` when no intent was recorded for the step.
    @discardableResult
    public func recordResult(
        task: UUID,
        step: String,
        outcome: StepOutcome,
        at time: Date = Date()
    ) async throws -> TaskStepRecord {
        try await write { db in
            let key: [String: (any DatabaseValueConvertible)?] = ["taskID": task, "step": step]
            guard var entry = try TaskStepRecord.fetchOne(db, key: key) else {
                throw ApplianceError.notFound(
                    "the step \(step) of task \(task) has no recorded intent: record the intent before the step acts"
                )
            }
            switch outcome {
            case .done(let resources):
                entry.state = .done
                entry.resources.merge(resources) { _, new in new }
                entry.error = nil
            case .failed(let reason):
                entry.state = .failed
                entry.error = reason
            }
            entry.ended = time
            try entry.update(db)
            return entry
        }
    }

    /// Appends a line to the live log of `task`; returns it with its ``TaskLogLine/id``.
    @discardableResult
    public func appendLog(
        task: UUID,
        level: TaskLogLine.Level,
        message: String,
        at time: Date = Date()
    ) async throws -> TaskLogLine {
        try await write { db in
            var line = TaskLogLine(taskID: task, time: time, level: level, message: message)
            try line.insert(db)
            line.id = db.lastInsertedRowID
            return line
        }
    }

    /// The log of `task` after the line `after` (all of it when `nil`), oldest first, at most `limit` lines.
    public func log(task: UUID, after: Int64? = nil, limit: Int = 1000) async throws -> [TaskLogLine] {
        try await pool.read { db in
            var request = TaskLogLine.filter(Column("taskID") == task)
            if let after { request = request.filter(Column("id") > after) }
            return try request.order(Column("id")).limit(limit).fetchAll(db)
        }
    }
}
