import Foundation

extension Envelope {
    /// The reply reporting a message moved to the poison queue: the rejected message's job, session, task
    /// and attempt when its header could be read (``DeliveryPolicy/Admission/poison(_:reason:header:)``),
    /// ``unknownID`` and attempt 0 otherwise.
    public static func rejection(
        _ rejected: Rejected,
        header: EnvelopeHeader?,
        workerID: String,
        sent: Date,
        deadline: Date? = nil
    ) -> Envelope {
        Envelope(
            jobID: header?.jobID ?? unknownID,
            sessionID: header?.sessionID ?? unknownID,
            taskID: header?.taskID ?? unknownID,
            attempt: max(0, header?.attempt ?? 0),
            sent: sent,
            deadline: deadline ?? sent.addingTimeInterval(86_400),
            sender: .worker(workerID),
            body: .rejected(rejected)
        )
    }
}
