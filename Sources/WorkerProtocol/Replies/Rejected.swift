/// A message moved to the poison queue instead of being processed: it did not decode, was refused as
/// unsupported, or was delivered too many times.
///
/// The reply's envelope carries the rejected message's job, session, task and attempt when they could be
/// read, and ``Envelope/unknownID`` (attempt 0) otherwise.
public struct Rejected: Sendable, Hashable, Codable {
    /// Why a message is rejected.
    public enum Cause: String, Sendable, Hashable, Codable {
        /// It is not a message of this protocol, or a field is malformed.
        case undecodable
        /// Its major version or its kind is not supported by this worker.
        case unsupported
        /// The queue delivered it more times than the delivery policy allows.
        case tooManyDeliveries
        /// It was addressed to another worker (its seals do not open here).
        case misaddressed
    }

    /// The queue's ID of the message.
    public var messageID: String
    /// How many times it was delivered.
    public var dequeueCount: Int
    /// Why.
    public var cause: Cause
    /// What was wrong, for a person (never the message's text).
    public var reason: String
    /// The queue it was moved to.
    public var poisonQueue: String

    /// A rejection.
    public init(messageID: String, dequeueCount: Int, cause: Cause, reason: String, poisonQueue: String) {
        self.messageID = messageID
        self.dequeueCount = dequeueCount
        self.cause = cause
        self.reason = reason
        self.poisonQueue = poisonQueue
    }
}
