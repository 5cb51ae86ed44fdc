import BackupRepository

/// What a worker adds to the metadata of every restore point it publishes, under the key
/// ``metadataKey``: the job, session, task and attempt that made it. A redelivered job finds its restore
/// point by this marker and is answered again instead of being run twice.
public struct JobMarker: Sendable, Hashable {
    /// The metadata key.
    public static let metadataKey = "nimbusJob"

    /// The job.
    public var jobID: String
    /// Its session.
    public var sessionID: String
    /// Its task.
    public var taskID: String
    /// The attempt that published the restore point.
    public var attempt: Int

    /// The marker of an envelope's job.
    public init(_ envelope: Envelope) {
        jobID = envelope.jobID
        sessionID = envelope.sessionID
        taskID = envelope.taskID
        attempt = envelope.attempt
    }

    /// Reads the marker from restore point metadata; `nil` when there is none.
    public init?(metadata: JSONValue) {
        guard let marker = metadata[Self.metadataKey], let jobID = marker["job"]?.stringValue,
            let sessionID = marker["session"]?.stringValue, let taskID = marker["task"]?.stringValue,
            case .integer(let attempt) = marker["attempt"]
        else { return nil }
        self.jobID = jobID
        self.sessionID = sessionID
        self.taskID = taskID
        self.attempt = Int(attempt)
    }

    /// The marker as a JSON object.
    public var value: JSONValue {
        .object([
            "job": .string(jobID),
            "session": .string(sessionID),
            "task": .string(taskID),
            "attempt": .integer(Int64(attempt)),
        ])
    }

    /// `metadata` (an object, or replaced by one when it is not) with this marker added.
    public func stamped(on metadata: JSONValue) -> JSONValue {
        var members: [String: JSONValue] = [:]
        if case .object(let existing) = metadata { members = existing }
        members[Self.metadataKey] = value
        return .object(members)
    }
}
