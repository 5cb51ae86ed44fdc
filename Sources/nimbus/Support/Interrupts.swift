import ArgumentParser
import Foundation
import Synchronization

/// A command that stops cleanly on Ctrl-C (SIGINT) or SIGTERM: the signal cancels it, the engine stops at its
/// next step and releases its repository lock, and the command exits with status 130 (`interrupted`).
protocol StoppableCommand: AsyncParsableCommand {
    /// What the repository looks like after an interruption, for the error message.
    static var afterInterruption: String { get }
}

/// Turns SIGINT and SIGTERM into cancellation of the running command.
enum Interrupts {
    /// The signal received first, shared with the signal handlers.
    private final class Received: Sendable {
        let signal = Mutex<Int32?>(nil)
    }

    /// Runs `command` in a task of its own and cancels that task on the first SIGINT or SIGTERM. A second
    /// signal ends the process at once, as if no handler were installed.
    /// - Throws: a ``CommandFailure`` with code `interrupted` once a signal was received (whatever the command
    ///   threw while it stopped), or the command's own error.
    static func run(_ command: sending any StoppableCommand) async throws {
        let afterInterruption = type(of: command).afterInterruption
        let task = Task {
            var command = command
            try await command.run()
        }
        let received = Received()
        let sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                let isFirst = received.signal.withLock { first -> Bool in
                    guard first == nil else { return false }
                    first = number
                    return true
                }
                guard isFirst else { return }
                // From now on the default action applies: another Ctrl-C ends the process at once.
                signal(SIGINT, SIG_DFL)
                signal(SIGTERM, SIG_DFL)
                Terminal.writeToStandardError(
                    "nimbus: \(name(of: number)) received: stopping and releasing the repository lock "
                        + "(press Ctrl-C again to quit at once)\n"
                )
                task.cancel()
            }
            source.resume()
            return source
        }
        let result = await task.result
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
        if let number = received.signal.withLock({ $0 }) {
            if case .success = result { return }
            throw CommandFailure(.interrupted, "interrupted by \(name(of: number)): \(afterInterruption)")
        }
        try result.get()
    }

    private static func name(of signal: Int32) -> String {
        signal == SIGINT ? "SIGINT" : signal == SIGTERM ? "SIGTERM" : "signal \(signal)"
    }
}
