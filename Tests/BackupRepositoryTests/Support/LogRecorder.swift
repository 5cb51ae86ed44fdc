import Logging
import Synchronization

/// Keeps the messages a repository logs, so that a test can wait for one (for example `lock.lost`).
final class LogRecorder: Sendable {
    private let messages = Mutex<[String]>([])

    /// Every message logged so far.
    var all: [String] { messages.withLock { $0 } }

    /// Whether `message` was logged.
    func contains(_ message: String) -> Bool { messages.withLock { $0.contains(message) } }

    /// A logger at trace level that records into this recorder.
    var logger: Logger {
        var logger = Logger(label: "nimbus.tests.recorded") { _ in RecordingHandler(recorder: self) }
        logger.logLevel = .trace
        return logger
    }

    fileprivate func append(_ message: String) { messages.withLock { $0.append(message) } }
}

private struct RecordingHandler: LogHandler {
    let recorder: LogRecorder
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) { recorder.append(event.message.description) }
}
