import AzureKit

/// What the queue loop does with the messages it receives.
public protocol JobHandler: Sendable {
    /// Runs the job of `message` while `lease` holds it. Returning means the job is answered and its message may be
    /// deleted; throwing ``UndecodableMessage`` poisons the message; throwing anything else leaves it to be
    /// received again after its visibility timeout.
    func run(_ message: QueueMessage, lease: JobLease) async throws

    /// Reports a message that was moved to the poison queue (`reason` says why), so the sender learns of it.
    func poisoned(_ message: QueueMessage, reason: String) async
}

/// A message that cannot be read as a job: it is moved to the poison queue and never retried.
public struct UndecodableMessage: Error, Sendable, CustomStringConvertible {
    /// Why, in a sentence without secrets.
    public var reason: String

    /// Creates the error.
    public init(_ reason: String) { self.reason = reason }

    /// The reason.
    public var description: String { reason }
}
