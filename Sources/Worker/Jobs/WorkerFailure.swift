/// Why a job failed, classified so the appliance knows whether sending the job again can help.
public struct WorkerFailure: Error, Sendable, CustomStringConvertible, Equatable {
    /// Whether retrying the same job later may succeed.
    public enum Class: String, Sendable, Codable {
        /// A passing problem (throttling, a lost connection, a busy service): send the job again.
        case transient
        /// The job cannot succeed as sent (expired SAS, no network path, bad input): fix the cause first.
        case permanent
    }

    /// Transient or permanent.
    public var failureClass: Class
    /// A sentence a person can act on: what failed, on which disk or object, and what to do. No secrets.
    public var reason: String

    /// Creates a failure.
    public init(_ failureClass: Class, _ reason: String) {
        self.failureClass = failureClass
        self.reason = reason
    }

    /// A transient failure.
    public static func transient(_ reason: String) -> WorkerFailure { WorkerFailure(.transient, reason) }

    /// A permanent failure.
    public static func permanent(_ reason: String) -> WorkerFailure { WorkerFailure(.permanent, reason) }

    /// The class and the reason.
    public var description: String { "\(failureClass.rawValue) failure: \(reason)" }
}
