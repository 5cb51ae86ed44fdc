import Foundation

/// The header of a job the appliance sends: which job, session, task and attempt, and its deadline.
public struct JobIdentity: Sendable, Hashable {
    /// The job (a retried task keeps it).
    public var jobID: String
    /// The session.
    public var sessionID: String
    /// The task within the session.
    public var taskID: String
    /// The task's attempt, from 1.
    public var attempt: Int
    /// When the job must be finished.
    public var deadline: Date

    /// A job's header.
    public init(jobID: String, sessionID: String, taskID: String, attempt: Int, deadline: Date) {
        self.jobID = jobID
        self.sessionID = sessionID
        self.taskID = taskID
        self.attempt = attempt
        self.deadline = deadline
    }
}
