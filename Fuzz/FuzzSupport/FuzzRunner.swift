import Foundation

/// Runs the async parsers from libFuzzer's synchronous entry point.
public enum FuzzRunner {
    private final class Done: @unchecked Sendable {
        let semaphore = DispatchSemaphore(value: 0)
    }

    /// Runs `body` in a task and waits for it on the calling (non-pool) thread.
    public static func runBlocking(_ body: @escaping @Sendable () async -> Void) {
        let done = Done()
        Task {
            await body()
            done.semaphore.signal()
        }
        done.semaphore.wait()
    }

    /// Calls `entry` with the bytes of each file named on the command line.
    public static func replay(_ entry: (UnsafePointer<UInt8>, Int) -> Int32) throws {
        for path in CommandLine.arguments.dropFirst() {
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path))) + [0]
            _ = bytes.withUnsafeBufferPointer { entry($0.baseAddress!, $0.count - 1) }
            print("ran \(path)")
        }
    }
}
