import BackupRepository
import Foundation
import SystemPackage

/// A file opened for large positional reads and writes without copies.
///
/// Every call runs on ``FileIOPool/shared`` as one hop, so the command's tasks never block a cooperative thread;
/// a buffer passed in belongs to the pool's thread until the call returns. Positional reads and writes may
/// come from several tasks at once.
final class RawFile: Sendable {
    private let descriptor: FileDescriptor
    /// The path, for error messages.
    let path: String

    /// Opens `path` for writing, creating or truncating it.
    static func create(_ path: String) async throws -> RawFile {
        try await open(path, .writeOnly, options: [.create, .truncate])
    }

    /// Opens an existing file for reading and writing.
    static func openForUpdate(_ path: String) async throws -> RawFile {
        try await open(path, .readWrite, options: [])
    }

    /// Opens an existing file for reading.
    static func openForReading(_ path: String) async throws -> RawFile {
        try await open(path, .readOnly, options: [])
    }

    private static func open(
        _ path: String,
        _ mode: FileDescriptor.AccessMode,
        options: FileDescriptor.OpenOptions
    ) async throws -> RawFile {
        try await FileIOPool.shared.run {
            do {
                let descriptor = try FileDescriptor.open(
                    FilePath(path),
                    mode,
                    options: options.union(.closeOnExec),
                    permissions: [.ownerReadWrite, .groupRead, .otherRead]
                )
                return RawFile(path: path, descriptor: descriptor)
            } catch {
                let code: CommandFailure.Code = (error as? Errno) == .noSuchFileOrDirectory ? .notFound : .io
                throw CommandFailure(code, "cannot open '\(path)': \(error); check the path and its permissions")
            }
        }
    }

    private init(path: String, descriptor: FileDescriptor) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit { try? descriptor.close() }

    /// The file's size in bytes.
    func size() async throws -> Int64 {
        try await run("cannot read the size of") { descriptor in
            // All reads and writes are positional, so moving the file offset to the end is harmless.
            try descriptor.seek(offset: 0, from: .end)
        }
    }

    /// Sets the file's size (growing it leaves a hole).
    func truncate(to size: Int64) async throws {
        try await run("cannot resize") { try $0.resize(to: size) }
    }

    /// Writes all of `bytes` at `offset`.
    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int64) async throws {
        let buffer = PoolBuffer(bytes)
        try await run("cannot write to") { _ = try $0.writeAll(toAbsoluteOffset: offset, buffer.bytes) }
    }

    /// Reads up to `buffer.count` bytes at `offset`; returns how many were read (less only at the end).
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) async throws -> Int {
        let target = PoolBuffer(buffer)
        return try await run("cannot read") { try $0.readFully(fromAbsoluteOffset: offset, into: target.mutable) }
    }

    /// Flushes the file's data to the device.
    func sync() async throws {
        try await run("cannot flush") { try $0.sync() }
    }

    /// Runs `body` on the pool, turning a failed call into a ``CommandFailure`` naming the file.
    private func run<T: Sendable>(
        _ action: String,
        _ body: @escaping @Sendable (FileDescriptor) throws -> T
    ) async throws -> T {
        let descriptor = self.descriptor
        let path = self.path
        return try await FileIOPool.shared.run {
            do {
                return try body(descriptor)
            } catch {
                throw CommandFailure(.io, "\(action) '\(path)': \(error)")
            }
        }
    }
}
