import BackupRepository

/// What a worker adds to the metadata of every restore point it publishes: the job that made it, under
/// ``jobKey``, and the job's session, task and attempt. A redelivered job finds its restore point by the
/// job ID and is answered again instead of being run twice.
public struct JobMarker: Sendable, Hashable {
    /// The metadata member holding the job ID (a string).
    public static let jobKey = "nimbus.job"
    /// The metadata member holding the session ID (a string).
    public static let sessionKey = "nimbus.session"
    /// The metadata member holding the task ID (a string).
    public static let taskKey = "nimbus.task"
    /// The metadata member holding the attempt that published the restore point (an integer).
    public static let attemptKey = "nimbus.attempt"

    /// The job.
    public var jobID: String
    /// Its session, when recorded.
    public var sessionID: String?
    /// Its task, when recorded.
    public var taskID: String?
    /// The attempt that published the restore point, when recorded.
    public var attempt: Int?

    /// The marker of an envelope's job.
    public init(_ envelope: Envelope) {
        jobID = envelope.jobID
        sessionID = envelope.sessionID
        taskID = envelope.taskID
        attempt = envelope.attempt
    }

    /// Reads the marker from restore point metadata; `nil` when it holds no job ID.
    public init?(metadata: JSONValue) {
        guard let jobID = metadata[Self.jobKey]?.stringValue else { return nil }
        self.jobID = jobID
        sessionID = metadata[Self.sessionKey]?.stringValue
        taskID = metadata[Self.taskKey]?.stringValue
        if case .integer(let attempt) = metadata[Self.attemptKey] { self.attempt = Int(attempt) }
    }

    /// `metadata` (an object, or replaced by one when it is not) with this marker's members added.
    public func stamped(on metadata: JSONValue) -> JSONValue {
        var members: [String: JSONValue] = [:]
        if case .object(let existing) = metadata { members = existing }
        members[Self.jobKey] = .string(jobID)
        if let sessionID { members[Self.sessionKey] = .string(sessionID) }
        if let taskID { members[Self.taskKey] = .string(taskID) }
        if let attempt { members[Self.attemptKey] = .integer(Int64(attempt)) }
        return .object(members)
    }
}
