import Foundation
import SystemPackage

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A ``DiskSource`` reading a local file or block device.
///
/// Every read runs on ``FileIOPool`` as one hop: the whole range is read there (short reads and `EINTR`
/// handled), so the backup's tasks never block a thread of the cooperative pool.
public final class FileDiskSource: DiskSource {
    /// The file's path.
    public let path: String
    public let size: Int64
    private let descriptor: FileDescriptor
    private let io: FileIOPool

    /// Opens a regular file or a block device for reading.
    /// - Throws: ``RepositoryError`` with ``RepositoryError/Code/fileNotFound`` when nothing exists at `path`,
    ///   and ``RepositoryError/Code/sourceFailure`` when it cannot be opened or is not a file or block device.
    public init(path: String, io: FileIOPool = .shared) throws {
        let descriptor: FileDescriptor
        do {
            descriptor = try FileDescriptor.open(FilePath(path), .readOnly, options: [.closeOnExec])
        } catch let error as Errno {
            if error == .noSuchFileOrDirectory || error == .notDirectory {
                throw RepositoryError(
                    .fileNotFound,
                    "the disk image \(path) does not exist; check the path",
                    underlying: error
                )
            }
            throw RepositoryError(
                .sourceFailure,
                "cannot open the disk image \(path); check that it is readable",
                underlying: error
            )
        }
        let size: Int64
        do {
            size = try Self.size(of: descriptor, path: path)
        } catch {
            try? descriptor.close()
            throw error
        }
        self.size = size
        self.path = path
        self.descriptor = descriptor
        self.io = io
    }

    deinit {
        try? descriptor.close()
    }

    /// The size of a regular file or block device; anything else (a folder, a pipe) is refused.
    private static func size(of descriptor: FileDescriptor, path: String) throws -> Int64 {
        let status: stat
        do {
            status = try descriptor.status()
        } catch {
            throw RepositoryError(
                .sourceFailure,
                "cannot read the status of the disk image \(path)",
                underlying: error as? Errno
            )
        }
        if status.isRegularFile { return Int64(status.st_size) }
        guard status.isBlockDevice else {
            let what = status.isFolder ? "a folder" : "neither a regular file nor a block device"
            throw RepositoryError(.sourceFailure, "the disk image \(path) is \(what); name an image file or a disk")
        }
        do {
            return try descriptor.seek(offset: 0, from: .end)
        } catch {
            throw RepositoryError(
                .sourceFailure,
                "cannot find the size of the block device \(path)",
                underlying: error as? Errno
            )
        }
    }

    public func read(at offset: Int64, length: Int) async throws -> Data {
        try checkBounds(offset: offset, length: length)
        let descriptor = self.descriptor
        let path = self.path
        let size = self.size
        return try await io.run {
            var data = Data(count: length)
            try data.withUnsafeMutableBytes { raw in
                try Self.readFully(descriptor, at: offset, into: raw, path: path, size: size)
            }
            return data
        }
    }

    public func read(at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) async throws {
        try checkBounds(offset: offset, length: buffer.count)
        let descriptor = self.descriptor
        let path = self.path
        let size = self.size
        let target = PoolBuffer(buffer)
        try await io.run {
            try Self.readFully(descriptor, at: offset, into: target.mutable, path: path, size: size)
        }
    }

    /// Fills `buffer` from `offset` on the calling thread, for callers that run on threads of their own (the codec
    /// ceiling measurement), never on the cooperative pool.
    func readBlocking(at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) throws {
        try checkBounds(offset: offset, length: buffer.count)
        try Self.readFully(descriptor, at: offset, into: buffer, path: path, size: size)
    }

    /// Refuses a range that does not lie within the disk before any arithmetic is done with it.
    private func checkBounds(offset: Int64, length: Int) throws {
        guard offset >= 0, length >= 0, offset <= size, Int64(length) <= size - offset else {
            throw RepositoryError(
                .invalidArgument,
                "a read of \(length) bytes at offset \(offset) lies outside \(path) (\(size) bytes)"
            )
        }
    }

    /// Fills `raw` from `offset`, on the calling (pool) thread.
    private static func readFully(
        _ descriptor: FileDescriptor,
        at offset: Int64,
        into raw: UnsafeMutableRawBufferPointer,
        path: String,
        size: Int64
    ) throws {
        let done: Int
        do {
            done = try descriptor.readFully(fromAbsoluteOffset: offset, into: raw)
        } catch {
            throw RepositoryError(
                .sourceFailure,
                "reading \(path) at offset \(offset) failed",
                underlying: error as? Errno
            )
        }
        guard done == raw.count else {
            throw RepositoryError(
                .sourceFailure,
                "\(path) ended at offset \(offset + Int64(done)) while \(size) bytes were expected; "
                    + "was it truncated during the backup?"
            )
        }
    }
}
