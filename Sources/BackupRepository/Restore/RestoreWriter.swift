import Foundation
import Synchronization
import SystemPackage

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a restored disk image to a regular file or a block device, with every system call on ``FileIOPool``.
///
/// A regular file is written under a temporary name beside the target (`.<name>.restoring-<random>`) and renamed
/// over the target only by ``finish(size:)``, so a failed or interrupted restore never leaves a partial image at
/// the target path; ``discard()`` removes the temporary file. A block device is written in place.
/// Failures are ``RepositoryError``s with ``RepositoryError/Code/io``.
public final class RestoreWriter: Sendable {
    /// The path the image is restored to.
    public let path: String
    /// Whether the target is a block device (written in place, never truncated).
    public let isBlockDevice: Bool
    private let descriptor: FileDescriptor
    /// The file written until ``finish(size:)`` renames it to ``path``; `nil` for a block device.
    private let temporaryPath: String?
    private let io: FileIOPool
    private let closed = Mutex(false)

    private init(path: String, isBlockDevice: Bool, descriptor: FileDescriptor, temporaryPath: String?, io: FileIOPool)
    {
        self.path = path
        self.isBlockDevice = isBlockDevice
        self.descriptor = descriptor
        self.temporaryPath = temporaryPath
        self.io = io
    }

    deinit {
        if !closed.withLock({ $0 }) {
            try? descriptor.close()
            if let temporaryPath { unlink(temporaryPath) }
        }
    }

    /// Opens `path` for a restore: a block device in place, anything else through a new temporary file.
    /// - Throws: ``RepositoryError`` with ``RepositoryError/Code/io`` when the folder is missing, the path is a
    ///   folder, or the file cannot be created.
    public static func open(_ path: String, io: FileIOPool = .shared) async throws -> RestoreWriter {
        try await io.run { try openBlocking(path, io: io) }
    }

    private static func openBlocking(_ path: String, io: FileIOPool) throws -> RestoreWriter {
        var status = stat()
        if stat(path, &status) == 0 {
            if status.isFolder {
                throw RepositoryError(.io, "the restore target \(path) is a folder; name the image file to write")
            }
            if status.isBlockDevice {
                do {
                    let descriptor = try FileDescriptor.open(FilePath(path), .writeOnly, options: [.closeOnExec])
                    return RestoreWriter(
                        path: path,
                        isBlockDevice: true,
                        descriptor: descriptor,
                        temporaryPath: nil,
                        io: io
                    )
                } catch {
                    throw failure(error, "cannot open the block device \(path) for writing; check its permissions")
                }
            }
        }
        let file = FilePath(path)
        let folder = file.removingLastComponent()
        let folderText = folder.isEmpty ? "." : folder.string
        var folderStatus = stat()
        guard stat(folderText, &folderStatus) == 0, folderStatus.isFolder else {
            throw RepositoryError(
                .io,
                "the folder \(folderText) to restore \(file.lastComponent?.string ?? path) into does not exist; "
                    + "create it or choose another output path",
                underlying: Errno(rawValue: errno)
            )
        }
        var generator = SystemRandomNumberGenerator()
        let name = "." + (file.lastComponent?.string ?? "image") + ".restoring-" + String(generator.next(), radix: 16)
        let temporary = folder.appending(name).string
        do {
            let descriptor = try FileDescriptor.open(
                FilePath(temporary),
                .writeOnly,
                options: [.create, .exclusiveCreate, .closeOnExec],
                permissions: [.ownerReadWrite, .groupRead, .otherRead]
            )
            return RestoreWriter(
                path: path,
                isBlockDevice: false,
                descriptor: descriptor,
                temporaryPath: temporary,
                io: io
            )
        } catch {
            throw failure(error, "cannot create a file in \(folderText) for the restored image; check its permissions")
        }
    }

    /// Writes all of `data` at `offset` of the image (one pool hop).
    public func write(_ data: Data, at offset: Int64) async throws {
        let descriptor = self.descriptor
        let path = self.path
        try await io.run {
            do {
                _ = try data.withUnsafeBytes { try descriptor.writeAll(toAbsoluteOffset: offset, $0) }
            } catch {
                throw Self.failure(error, "writing the restored image \(path) at offset \(offset) failed")
            }
        }
    }

    /// Sets a regular file's size to `size` (a hole for trailing zeros), flushes the image, and puts it in place.
    public func finish(size: Int64) async throws {
        let descriptor = self.descriptor
        let path = self.path
        let temporaryPath = self.temporaryPath
        guard markClosed() else { return }
        try await io.run {
            do {
                defer { try? descriptor.close() }
                do {
                    if temporaryPath != nil { try descriptor.resize(to: size) }
                } catch {
                    throw Self.failure(error, "cannot set the size of the restored image \(path) to \(size) bytes")
                }
                do {
                    try descriptor.sync()
                } catch {
                    throw Self.failure(error, "cannot flush the restored image \(path)")
                }
            } catch {
                if let temporaryPath { unlink(temporaryPath) }
                throw error
            }
            guard let temporaryPath else { return }
            guard rename(temporaryPath, path) == 0 else {
                let code = Errno(rawValue: errno)
                unlink(temporaryPath)
                throw Self.failure(code, "cannot move the restored image into place at \(path)")
            }
            Self.syncFolder(of: path)
        }
    }

    /// Closes the image and removes the temporary file (a block device keeps what was written).
    public func discard() async {
        let descriptor = self.descriptor
        let temporaryPath = self.temporaryPath
        guard markClosed() else { return }
        _ = try? await io.run {
            try? descriptor.close()
            if let temporaryPath { unlink(temporaryPath) }
        }
    }

    /// Marks the writer closed; returns whether it was open.
    private func markClosed() -> Bool {
        closed.withLock { wasClosed in
            defer { wasClosed = true }
            return !wasClosed
        }
    }

    /// Flushes the folder entry of a renamed file; failing to is not worth failing a finished restore.
    private static func syncFolder(of path: String) {
        let folder = FilePath(path).removingLastComponent()
        guard
            let descriptor = try? FileDescriptor.open(
                folder.isEmpty ? "." : folder,
                .readOnly,
                options: [.directory, .closeOnExec]
            )
        else { return }
        try? descriptor.sync()
        try? descriptor.close()
    }

    private static func failure(_ error: any Error, _ what: String) -> RepositoryError {
        let code = error as? Errno
        if code == .noSpace || code == .diskQuotaExceeded {
            return RepositoryError(.io, what + ": the disk is full; free space or restore elsewhere", underlying: code)
        }
        return RepositoryError(.io, what, underlying: code)
    }
}

extension Repository {
    /// Writes the whole of disk `slot` of `point` (`nil`: its only disk) to `path`: holes for zero blocks (a
    /// sparse file), then the disk's size.
    func restoreImage(
        _ point: RestorePoint,
        disk slot: VMDiskSlot? = nil,
        toFile path: String,
        concurrency: Int,
        progress: (@Sendable (RestoreStatistics) -> Void)?
    ) async throws -> RestoreStatistics {
        let disk = try point.disk(slot)
        let writer = try await RestoreWriter.open(path)
        do {
            let blockSize = Int64(disk.blockSize)
            var statistics = try await forEachBlock(
                of: point,
                disk: disk.slot,
                blocks: 0..<disk.blockCount,
                concurrency: concurrency,
                progress: progress
            ) { index, data in
                try await writer.write(data, at: index * blockSize)
            }
            try await writer.finish(size: disk.size)
            statistics.bytesRestored = disk.size
            progress?(statistics)
            return statistics
        } catch {
            await writer.discard()
            throw error
        }
    }
}
