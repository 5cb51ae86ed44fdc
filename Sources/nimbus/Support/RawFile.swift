import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file opened with POSIX calls for large positional reads and writes without copies.
/// Positional reads and writes may come from several threads at once.
final class RawFile: Sendable {
    private let descriptor: Int32
    /// The path, for error messages.
    let path: String

    /// Opens `path` for writing, creating or truncating it.
    static func create(_ path: String) throws -> RawFile {
        try RawFile(path: path, flags: O_WRONLY | O_CREAT | O_TRUNC)
    }

    /// Opens an existing file for reading and writing.
    static func openForUpdate(_ path: String) throws -> RawFile {
        try RawFile(path: path, flags: O_RDWR)
    }

    /// Opens an existing file for reading.
    static func openForReading(_ path: String) throws -> RawFile {
        try RawFile(path: path, flags: O_RDONLY)
    }

    private init(path: String, flags: Int32) throws {
        self.path = path
        descriptor = open(path, flags | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            let code: CommandFailure.Code = errno == ENOENT ? .notFound : .io
            throw CommandFailure(code, "cannot open '\(path)': \(reason); check the path and its permissions")
        }
    }

    deinit { close(descriptor) }

    /// The file's size in bytes.
    func size() throws -> Int64 {
        // All reads and writes are positional, so moving the file offset to the end is harmless.
        let end = lseek(descriptor, 0, SEEK_END)
        guard end >= 0 else { throw failure("cannot read the size of") }
        return Int64(end)
    }

    /// Sets the file's size (growing it leaves a hole).
    func truncate(to size: Int64) throws {
        guard ftruncate(descriptor, off_t(size)) == 0 else { throw failure("cannot resize") }
    }

    /// Writes all of `bytes` at `offset`.
    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int64) throws {
        var done = 0
        while done < bytes.count {
            guard let base = bytes.baseAddress else { return }
            let written = pwrite(descriptor, base + done, bytes.count - done, off_t(offset + Int64(done)))
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { throw failure("cannot write to") }
            done += written
        }
    }

    /// Reads up to `buffer.count` bytes at `offset`; returns how many were read (less only at the end).
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws -> Int {
        var done = 0
        while done < buffer.count {
            guard let base = buffer.baseAddress else { return 0 }
            let count = pread(descriptor, base + done, buffer.count - done, off_t(offset + Int64(done)))
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw failure("cannot read") }
            if count == 0 { break }
            done += count
        }
        return done
    }

    /// Flushes the file's data to the device.
    func sync() throws {
        guard fsync(descriptor) == 0 else { throw failure("cannot flush") }
    }

    private func failure(_ action: String) -> CommandFailure {
        CommandFailure(.io, "\(action) '\(path)': \(String(cString: strerror(errno)))")
    }
}
