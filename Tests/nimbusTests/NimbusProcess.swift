import Foundation

/// Runs the built `nimbus` executable as a child process and captures what it prints.
struct NimbusProcess: Sendable {
    /// What one run produced.
    struct Result: Sendable {
        var status: Int32
        var standardOutput: String
        var standardError: String

        /// Standard output parsed as a JSON object.
        func jsonObject() throws -> [String: any Sendable] {
            let value = try JSONSerialization.jsonObject(with: Data(standardOutput.utf8))
            guard let object = value as? [String: any Sendable] else {
                throw NimbusProcessError(message: "standard output is not a JSON object: \(standardOutput)")
            }
            return object
        }

        /// Standard output parsed as a JSON array of objects.
        func jsonArray() throws -> [[String: any Sendable]] {
            let value = try JSONSerialization.jsonObject(with: Data(standardOutput.utf8))
            guard let array = value as? [[String: any Sendable]] else {
                throw NimbusProcessError(message: "standard output is not a JSON array: \(standardOutput)")
            }
            return array
        }
    }

    /// The executable: `NIMBUS_BINARY`, or `nimbus` next to the test bundle in the build folder.
    static var executable: URL {
        if let path = ProcessInfo.processInfo.environment["NIMBUS_BINARY"] {
            return URL(fileURLWithPath: path)
        }
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = runner.deletingLastPathComponent()
        // The runner may sit inside a bundle (`….xctest/Contents/MacOS`); climb to the build folder.
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent("nimbus")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        return runner.deletingLastPathComponent().appendingPathComponent("nimbus")
    }

    /// Extra environment variables for every run (the password, for example).
    var environment: [String: String] = [:]

    /// Runs `nimbus` with `arguments`, feeding `input` on standard input, and waits for it to exit.
    ///
    /// The wait happens on a thread of its own, so a test never holds one of the few executor threads
    /// that other suites need while the child runs.
    func run(_ arguments: [String], input: String? = nil) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Swift.Result { try runAndWait(arguments, input: input) })
            }
        }
    }

    /// A `nimbus` child process that is still running: signal it, then wait for what it printed.
    struct Running: Sendable {
        /// The child's process ID.
        let pid: Int32
        fileprivate let finished: Task<Result, any Error>

        /// Sends `signal` (for example `SIGINT`) to the child.
        func send(_ signal: Int32) {
            kill(pid, signal)
        }

        /// Waits for the child to exit, for at most `timeout`; a child still running then is killed and the
        /// wait fails, so a hung child never hangs the test.
        func wait(timeout: Duration = .seconds(120)) async throws -> Result {
            let deadline = ContinuousClock.now.advanced(by: timeout)
            let pid = self.pid
            let watchdog = Task {
                try await Task.sleep(until: deadline)
                kill(pid, SIGKILL)
            }
            defer { watchdog.cancel() }
            let result = try await finished.value
            guard ContinuousClock.now < deadline else {
                throw NimbusProcessError(message: "nimbus did not exit within \(timeout)")
            }
            return result
        }
    }

    /// Starts `nimbus` with `arguments` (nothing on standard input) and returns once it runs.
    func start(_ arguments: [String]) async throws -> Running {
        let (started, announce) = AsyncStream.makeStream(of: Int32.self)
        let finished = Task {
            try await withCheckedThrowingContinuation { continuation in
                Thread.detachNewThread {
                    let result = Swift.Result {
                        try runAndWait(arguments, input: nil) { pid in announce.yield(pid) }
                    }
                    announce.finish()
                    continuation.resume(with: result)
                }
            }
        }
        var iterator = started.makeAsyncIterator()
        guard let pid = await iterator.next() else {
            _ = try await finished.value
            throw NimbusProcessError(message: "nimbus did not start")
        }
        return Running(pid: pid, finished: finished)
    }

    /// Runs `nimbus repo init` at `path` with a cheap key derivation, so the tests stay fast.
    func initRepository(_ path: String) async throws -> Result {
        try await run(["repo", "init", "--repo", path, "--weak-key-derivation-for-testing"])
    }

    private func runAndWait(
        _ arguments: [String],
        input: String?,
        started: (Int32) -> Void = { _ in }
    ) throws -> Result {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "NIMBUS_PASSWORD")
        environment.merge(self.environment) { _, new in new }
        process.environment = environment

        let output = Pipe()
        let error = Pipe()
        let standardInput = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = standardInput
        try process.run()
        started(process.processIdentifier)
        if let input { standardInput.fileHandleForWriting.write(Data(input.utf8)) }
        try standardInput.fileHandleForWriting.close()

        // Drain both pipes concurrently so a chatty child never blocks on a full pipe.
        let errorData = ErrorDrain(handle: error.fileHandleForReading)
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorBytes = errorData.wait()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            standardOutput: String(decoding: outputData, as: UTF8.self),
            standardError: String(decoding: errorBytes, as: UTF8.self)
        )
    }
}

/// Reads a pipe to its end on a background thread.
private final class ErrorDrain: @unchecked Sendable {
    // Written once by the reading thread before the semaphore is signalled, read after waiting.
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}

/// A failure in the test harness itself.
struct NimbusProcessError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
