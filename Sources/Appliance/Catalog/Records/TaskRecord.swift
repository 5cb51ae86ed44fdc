import Foundation
import GRDB

/// One VM of a session, with its counters and outcome; its steps are ``TaskStepRecord``s.
public struct TaskRecord: CatalogRecord, Hashable, Identifiable {
    public static let databaseTableName = "tasks"

    /// Where the task is; ``success``, ``warning``, ``error`` and ``stopped`` are final.
    public enum Status: String, Codable, Sendable, CaseIterable {
        case pending, running, success, warning, error, stopped
    }

    /// The task's ID.
    public var id: UUID
    /// Its session.
    public var sessionID: UUID
    /// The VM it works on.
    public var vmResourceID: String
    /// Where it is.
    public var status: Status
    /// Which attempt this is (a retry of the failed VMs increments it); worker replies of older ones are ignored.
    public var attempt: Int
    /// Bytes read from the snapshots.
    public var bytesRead: Int64
    /// Bytes processed (read and compared, including unchanged blocks).
    public var bytesProcessed: Int64
    /// Bytes stored in the repository after compression and deduplication.
    public var bytesStored: Int64
    /// The processing rate in bytes per second.
    public var rate: Double
    /// The restore point the task created.
    public var restorePointID: String?
    /// Why it ended as it did, for a person.
    public var reason: String?
    /// When it started running.
    public var started: Date?
    /// When it ended.
    public var ended: Date?

    /// A task.
    public init(
        id: UUID = UUID(),
        sessionID: UUID,
        vmResourceID: String,
        status: Status = .pending,
        attempt: Int = 1,
        bytesRead: Int64 = 0,
        bytesProcessed: Int64 = 0,
        bytesStored: Int64 = 0,
        rate: Double = 0,
        restorePointID: String? = nil,
        reason: String? = nil,
        started: Date? = nil,
        ended: Date? = nil
    ) {
        self.id = id
        self.sessionID = sessionID
        self.vmResourceID = vmResourceID
        self.status = status
        self.attempt = attempt
        self.bytesRead = bytesRead
        self.bytesProcessed = bytesProcessed
        self.bytesStored = bytesStored
        self.rate = rate
        self.restorePointID = restorePointID
        self.reason = reason
        self.started = started
        self.ended = ended
    }
}

/// One step of a task's journal: its intent is recorded before the step calls Azure, its result after.
public struct TaskStepRecord: CatalogRecord, Hashable {
    public static let databaseTableName = "taskSteps"

    /// Where the step is.
    public enum State: String, Codable, Sendable, CaseIterable {
        /// Recorded before the step acts: a restart repeats the step with the same ``resources``.
        case intent
        /// The step finished.
        case done
        /// The step failed; ``error`` says why.
        case failed
    }

    /// The task.
    public var taskID: UUID
    /// The step's name (unique in the task: `snapshots`, `grant-access`, …).
    public var step: String
    /// The step's place in the task's journal, from 1.
    public var sequence: Int
    /// Where it is.
    public var state: State
    /// The deterministic names and IDs of what the step creates (stored as JSON).
    public var resources: [String: String]
    /// When the intent was recorded.
    public var started: Date
    /// When the result was recorded.
    public var ended: Date?
    /// Why it failed.
    public var error: String?

    /// A journal entry.
    public init(
        taskID: UUID,
        step: String,
        sequence: Int,
        state: State = .intent,
        resources: [String: String] = [:],
        started: Date,
        ended: Date? = nil,
        error: String? = nil
    ) {
        self.taskID = taskID
        self.step = step
        self.sequence = sequence
        self.state = state
        self.resources = resources
        self.started = started
        self.ended = ended
        self.error = error
    }
}

/// One line of a task's live log.
public struct TaskLogLine: CatalogRecord, Hashable {
    public static let databaseTableName = "taskLogs"

    /// How important the line is.
    public enum Level: String, Codable, Sendable, CaseIterable {
        case debug, info, warning, error
    }

    /// The line's place in the log (assigned on insert; `nil` before).
    public var id: Int64?
    /// The task.
    public var taskID: UUID
    /// When it was written.
    public var time: Date
    /// Its level.
    public var level: Level
    /// The text.
    public var message: String

    /// A line; its ``id`` is assigned when it is appended.
    public init(id: Int64? = nil, taskID: UUID, time: Date, level: Level, message: String) {
        self.id = id
        self.taskID = taskID
        self.time = time
        self.level = level
        self.message = message
    }
}
