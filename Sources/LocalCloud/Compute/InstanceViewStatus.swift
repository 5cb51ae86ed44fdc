/// One status line of an instance view, a run command result or an extension, as Azure reports it.
public struct InstanceViewStatus: Codable, Sendable, Equatable {
    /// The status code, for example `PowerState/running` or `ProvisioningState/succeeded`.
    public var code: String
    /// `Info`, `Warning` or `Error`.
    public var level: String
    /// A short text for people, for example `VM running`.
    public var displayStatus: String
    /// A longer message; the script's output for Run Command.
    public var message: String?
    /// When the status was reached, as an ISO 8601 date, when Azure reports one.
    public var time: String?

    /// Creates a status line.
    public init(code: String, level: String, displayStatus: String, message: String? = nil, time: String? = nil) {
        self.code = code
        self.level = level
        self.displayStatus = displayStatus
        self.message = message
        self.time = time
    }
}
