import Foundation
import Synchronization

/// Named places where a test can make the process die abruptly, to prove crash safety.
///
/// When the environment variable `NIMBUS_TEST_CRASH_AT` is `<name>` or `<name>:<n>`, the process
/// calls `_exit(86)` the first (or `n`-th) time it reaches ``hit(_:)`` with that name: no cleanup,
/// no flushing, as with `kill -9`. Without the variable, ``hit(_:)`` does nothing.
public enum CrashPoint {
    /// The exit status of a process stopped at a crash point.
    public static let exitStatus: Int32 = 86

    /// The environment variable naming the crash point.
    public static let environmentVariable = "NIMBUS_TEST_CRASH_AT"

    private static let target: (name: String, count: Int)? = {
        guard let value = ProcessInfo.processInfo.environment[environmentVariable], !value.isEmpty else {
            return nil
        }
        let parts = value.split(separator: ":", maxSplits: 1).map(String.init)
        let count = parts.count > 1 ? Int(parts[1]) ?? 1 : 1
        return (parts[0], max(1, count))
    }()

    private static let hits = Mutex<Int>(0)

    /// Stops the process here if the environment asks for it (see the type's description).
    public static func hit(_ name: String) {
        guard let target, target.name == name else { return }
        let reached = hits.withLock { count in
            count += 1
            return count
        }
        if reached == target.count { _exit(exitStatus) }
    }
}
