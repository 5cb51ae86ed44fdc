import Foundation

#if FUZZING
/// libFuzzer's driver; with `-sanitize=fuzzer` the toolchain links it, and a target's `main` starts it.
@_silgen_name("LLVMFuzzerRunDriver")
private func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32
#endif

/// Runs the async parsers from libFuzzer's synchronous entry point.
public enum FuzzRunner {
    /// A fuzz target's entry point: one input's bytes and their count (libFuzzer's `LLVMFuzzerTestOneInput`).
    public typealias Entry = @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32

    private final class Done: @unchecked Sendable {
        let semaphore = DispatchSemaphore(value: 0)
    }

    /// Built with `-sanitize=fuzzer -DFUZZING`: runs libFuzzer with the command line's options and corpora.
    /// Otherwise: runs `entry` once for each file named on the command line (replaying a crash).
    public static func main(_ entry: Entry) throws {
        #if FUZZING
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(runFuzzerDriver(&argc, &argv, entry))
        #else
        try replay(entry)
        #endif
    }

    /// The bytes of one input (none when libFuzzer passes a null pointer for an empty input).
    public static func bytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
        guard let data, size > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: size))
    }

    /// Runs `body` in a task and waits for it on the calling (non-pool) thread.
    public static func runBlocking(_ body: @escaping @Sendable () async -> Void) {
        let done = Done()
        Task.detached {
            await body()
            done.semaphore.signal()
        }
        done.semaphore.wait()
    }

    /// Calls `entry` with the bytes of each file named on the command line.
    public static func replay(_ entry: Entry) throws {
        for path in CommandLine.arguments.dropFirst() {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            _ = bytes.withUnsafeBufferPointer { entry($0.baseAddress, $0.count) }
            print("ran \(path) (\(bytes.count) bytes)")
        }
    }
}
