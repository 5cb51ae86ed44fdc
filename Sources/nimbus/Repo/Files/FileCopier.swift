import BackupRepository
import FileRestore
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes files, folders and symlinks read from a file system into local files, keeping modes and times.
/// Creates every path itself and refuses to replace or follow anything that exists, so nothing is written
/// outside the destination. File system calls run on the ``FileIOPool``.
struct FileCopier {
    let fileSystem: any FileSystemReader
    private(set) var files = 0
    private(set) var folders = 0
    private(set) var symlinks = 0
    private(set) var bytes: UInt64 = 0
    /// Entries not copied, with why.
    private(set) var skipped: [String] = []

    /// The bytes read from the source at once.
    static let pieceSize = 4 << 20
    /// The deepest folder copied.
    static let maximumDepth = 1024

    init(fileSystem: any FileSystemReader) {
        self.fileSystem = fileSystem
    }

    /// Copies a folder recursively to `path`, which must not exist.
    mutating func copyFolder(_ folder: FileEntry, to path: String, depth: Int = 0) async throws {
        guard depth < Self.maximumDepth else {
            skipped.append("\(path): deeper than \(Self.maximumDepth) folders")
            return
        }
        let mode = mode_t(folder.mode.map { $0 & 0o7777 } ?? 0o755)
        try await io {
            guard mkdir(path, 0o700) == 0 else { throw Self.failure("create the folder", path) }
        }
        folders += 1
        for entry in try await fileSystem.list(folder) {
            guard Self.isSafe(entry.name) else {
                skipped.append("\(path)/\(entry.name): not a safe file name")
                continue
            }
            let child = path + "/" + entry.name
            switch entry.kind {
            case .directory: try await copyFolder(entry, to: child, depth: depth + 1)
            case .regular, .symlink: try await copy(entry, to: child)
            case .other: skipped.append("\(child): not a file, folder or symlink")
            }
        }
        try await setAttributes(of: path, mode: mode, entry: folder)
    }

    /// Copies a file or symlink to `path`, which must not exist.
    mutating func copy(_ entry: FileEntry, to path: String) async throws {
        switch entry.kind {
        case .symlink:
            let target = try await fileSystem.readLink(entry)
            try await io {
                guard symlink(target, path) == 0 else { throw Self.failure("create the symlink", path) }
            }
            symlinks += 1
        case .regular:
            try await copyFile(entry, to: path)
        default:
            throw FileRestoreError(.wrongType, "\(entry.name) is not a file, folder or symlink")
        }
    }

    private mutating func copyFile(_ entry: FileEntry, to path: String) async throws {
        let descriptor = try await io { () throws -> Int32 in
            let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else { throw Self.failure("create the file", path) }
            return descriptor
        }
        do {
            var offset: UInt64 = 0
            while offset < entry.size {
                let piece = try await fileSystem.read(entry, at: offset, count: Self.pieceSize)
                if piece.isEmpty { break }
                let at = off_t(offset)
                try await io {
                    let written = piece.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, at) }
                    guard written == piece.count else { throw Self.failure("write", path) }
                }
                offset += UInt64(piece.count)
            }
            try await io { _ = close(descriptor) }
        } catch {
            try? await io { _ = close(descriptor) }
            throw error
        }
        let mode = mode_t(entry.mode.map { $0 & 0o7777 } ?? 0o644)
        try await setAttributes(of: path, mode: mode, entry: entry)
        files += 1
        bytes += entry.size
    }

    private func setAttributes(of path: String, mode: mode_t, entry: FileEntry) async throws {
        let accessed = Self.timeValue(entry.accessed ?? entry.modified)
        let modified = Self.timeValue(entry.modified)
        try await io {
            guard chmod(path, mode) == 0 else { throw Self.failure("set the mode of", path) }
            var times = [accessed, modified]
            guard utimensat(AT_FDCWD, path, &times, AT_SYMLINK_NOFOLLOW) == 0 else {
                throw Self.failure("set the times of", path)
            }
        }
    }

    /// Whether a name can be created inside a folder without leaving it.
    static func isSafe(_ name: String) -> Bool {
        !name.isEmpty && name != "." && name != ".." && !name.contains("/") && !name.contains("\0")
    }

    private static func timeValue(_ date: Date?) -> timespec {
        // (1 << 30) - 2 is UTIME_OMIT: leave that time as it is.
        guard let date else { return timespec(tv_sec: 0, tv_nsec: (1 << 30) - 2) }
        let seconds = date.timeIntervalSince1970.rounded(.down)
        let nanoseconds = ((date.timeIntervalSince1970 - seconds) * 1e9).rounded()
        return timespec(tv_sec: Int(seconds), tv_nsec: min(Int(nanoseconds), 999_999_999))
    }

    private static func failure(_ what: String, _ path: String) -> CommandFailure {
        CommandFailure(.io, "cannot \(what) \(path): \(String(cString: strerror(errno)))")
    }

    private func io<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await FileIOPool.shared.run(body)
    }
}
