/// An error of the appliance, with a sentence a person can act on.
public enum ApplianceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Input (an ID, a name, a setting) that is not valid; the message says what to give instead.
    case invalidInput(String)
    /// Something the operation needs does not exist.
    case notFound(String)
    /// The operation conflicts with the current state (a name in use, a session already running).
    case conflict(String)
    /// Azure (or LocalCloud) refused or failed in a way a retry will not fix.
    case cloud(String)
    /// A step did not finish before its deadline.
    case timedOut(String)
    /// Stored state (the catalog, a tag, a file) is damaged or was written by someone else.
    case corrupt(String)

    public var description: String {
        switch self {
        case .invalidInput(let message), .notFound(let message), .conflict(let message), .cloud(let message),
            .timedOut(let message), .corrupt(let message):
            message
        }
    }
}
