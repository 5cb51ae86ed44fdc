import BackupRepository
import Foundation
import Synchronization

/// A one-line progress bar on standard error: bytes done, rate and time left.
///
/// It draws only when standard error is a terminal, at most ten times a second, and erases
/// itself when finished, so piped output and logs stay clean. Safe to update from any task.
final class ProgressBar: Sendable {
    private struct State {
        var completed: Int64 = 0
        var total: Int64
        var lastDraw: ContinuousClock.Instant?
        var finished = false
    }

    private let label: String
    private let isEnabled: Bool
    private let started = ContinuousClock.now
    private let state: Mutex<State>
    private static let redrawInterval = Duration.milliseconds(100)

    /// Creates a bar for a job of `total` bytes.
    /// - Parameter enabled: Whether to draw; by default only when standard error is a terminal.
    init(label: String, total: Int64, enabled: Bool = Terminal.standardErrorIsTerminal) {
        self.label = label
        self.state = Mutex(State(total: max(total, 0)))
        self.isEnabled = enabled
    }

    /// Records that `completed` bytes are done (of a new `total`, when it becomes known), redrawing when due.
    func update(completed: Int64, total: Int64? = nil) {
        guard isEnabled else { return }
        let line: String? = state.withLock { state in
            guard !state.finished else { return nil }
            if let total, total > 0 { state.total = total }
            state.completed = max(state.completed, completed)
            let now = ContinuousClock.now
            if let last = state.lastDraw, now - last < Self.redrawInterval { return nil }
            state.lastDraw = now
            return render(completed: state.completed, total: state.total, elapsed: now - started)
        }
        if let line { Terminal.writeToStandardError("\r" + line + "\u{1B}[K") }
    }

    /// Records `bytes` more bytes done.
    func advance(by bytes: Int64) {
        guard isEnabled else { return }
        let completed = state.withLock { state in state.completed + bytes }
        update(completed: completed)
    }

    /// Erases the bar; later updates are ignored.
    func finish() {
        guard isEnabled else { return }
        let wasDrawn = state.withLock { state in
            defer { state.finished = true }
            return !state.finished && state.lastDraw != nil
        }
        if wasDrawn { Terminal.writeToStandardError("\r\u{1B}[K") }
    }

    private func render(completed: Int64, total: Int64, elapsed: Duration) -> String {
        let seconds = elapsed.inSeconds
        let fraction = total > 0 ? min(Double(completed) / Double(total), 1) : 0
        let rate = seconds > 0 ? Double(completed) / seconds : 0
        let remaining = rate > 0 ? Double(total - completed) / rate : .infinity
        let counts = "\(Units.bytes(completed)) / \(Units.bytes(total))"
        let speed = rate > 0 ? Units.bytes(Int64(rate)) + "/s" : "-"
        let percent = String(format: "%3.0f%%", fraction * 100)
        let tail = " \(percent)  \(counts)  \(speed)  ETA \(Units.clock(remaining))"
        let width = max(10, min(40, Terminal.columns - label.count - tail.count - 4))
        let filled = Int(Double(width) * fraction)
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        return "\(label) [\(bar)]\(tail)"
    }
}
