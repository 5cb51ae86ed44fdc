import Dispatch
import Foundation

/// Runs Debian's ntfs-3g tools (no mounting) to build test images, installing the package when missing.
enum NTFSTools {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs blocking work on a dispatch queue, off the cooperative pool.
    static func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }

    /// The path of `tool`, from /usr/sbin, /sbin, /usr/bin or /bin.
    static func path(_ tool: String) -> String? {
        ["/usr/sbin", "/sbin", "/usr/bin", "/bin"].map { "\($0)/\(tool)" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Installs the `ntfs-3g` package with apt-get if `mkntfs` is missing (blocking).
    static func ensureInstalled() throws {
        if path("mkntfs") != nil, path("ntfscp") != nil { return }
        let root = getuid() == 0
        let prefix = root ? [] : ["sudo", "-n"]
        try run("/usr/bin/env", prefix + ["apt-get", "install", "-y", "-qq", "ntfs-3g"])
        guard path("mkntfs") != nil else { throw Failure(description: "ntfs-3g could not be installed") }
    }

    /// Runs `tool` (a name looked up in the system folders, or a path) with `arguments`; fails on a non-zero exit.
    @discardableResult
    static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool.hasPrefix("/") ? tool : (path(tool) ?? tool))
        process.arguments = arguments
        // Names are passed as UTF-8; the tools convert them through the locale.
        process.environment = ProcessInfo.processInfo.environment.merging(["LC_ALL": "C.UTF-8"]) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw Failure(description: "\(tool) \(arguments.joined(separator: " ")) failed: \(text)")
        }
        return text
    }
}
