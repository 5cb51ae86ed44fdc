import Foundation
import Logging

/// The executable's logger: standard error, level from `NIMBUS_LOG_LEVEL` (default `warning`).
enum Log {
    /// The environment variable that sets the log level (`trace` … `critical`).
    static let levelVariable = "NIMBUS_LOG_LEVEL"

    /// The logger handed to the libraries.
    static let logger: Logger = {
        var logger = Logger(label: "nimbus") { label in StreamLogHandler.standardError(label: label) }
        let level = ProcessInfo.processInfo.environment[levelVariable].flatMap { Logger.Level(rawValue: $0) }
        logger.logLevel = level ?? .warning
        return logger
    }()
}
