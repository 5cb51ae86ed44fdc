import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A tmpfs of a few hundred KiB mounted for one test, to make writes fail with "no space left on device".
///
/// Mounting needs root; tests that use it are enabled only when ``isAvailable``.
final class SmallFileSystem: Sendable {
    /// The mount point.
    let path: String

    /// Whether this process may mount a file system (it runs as root and `mount` exists).
    static var isAvailable: Bool {
        geteuid() == 0 && FileManager.default.isExecutableFile(atPath: "/bin/mount")
    }

    /// Mounts a tmpfs of `bytes` bytes on a new folder.
    init(bytes: Int) throws {
        path = FileManager.default.temporaryDirectory.path + "/nimbus-small-fs-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(bytes)", "tmpfs", path])
    }

    deinit {
        try? Self.run("/bin/umount", [path])
        try? FileManager.default.removeItem(atPath: path)
    }

    private static func run(_ tool: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "\(tool) \(arguments) failed"])
        }
    }
}
