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
    /// A code for programs (`sasExpired`, `networkDenied`, `notFound`, `unreachable`, …; see docs/PROTOCOL.md).
    public var code: String

    /// Creates a failure.
    public init(_ failureClass: Class, _ reason: String, code: String? = nil) {
        self.failureClass = failureClass
        self.reason = reason
        self.code = code ?? (failureClass == .transient ? "unreachable" : "invalidJob")
    }

    /// A transient failure.
    public static func transient(_ reason: String, code: String? = nil) -> WorkerFailure {
        WorkerFailure(.transient, reason, code: code)
    }

    /// A permanent failure.
    public static func permanent(_ reason: String, code: String? = nil) -> WorkerFailure {
        WorkerFailure(.permanent, reason, code: code)
    }

    /// The class and the reason.
    public var description: String { "\(failureClass.rawValue) failure: \(reason)" }
}
