import SystemPackage

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Positional reads until a buffer is full, and the calls swift-system does not wrap (`fsync`, `fstat`).
extension FileDescriptor {
    /// Reads from `offset` until `buffer` is full or the file ends (`EINTR` is retried).
    /// - Returns: The number of bytes read: less than `buffer.count` only at the end of the file.
    package func readFully(fromAbsoluteOffset offset: Int64, into buffer: UnsafeMutableRawBufferPointer) throws
        -> Int
    {
        var done = 0
        while done < buffer.count {
            let count = try read(
                fromAbsoluteOffset: offset + Int64(done),
                into: UnsafeMutableRawBufferPointer(rebasing: buffer[done...])
            )
            if count == 0 { break }
            done += count
        }
        return done
    }

    /// Flushes the file's data and metadata to the device (`fsync`, `EINTR` retried).
    package func sync() throws {
        while fsync(rawValue) != 0 {
            guard errno == EINTR else { throw Errno(rawValue: errno) }
        }
    }

    /// The file's status (`fstat`).
    package func status() throws -> stat {
        try fileStatus(rawValue)
    }
}

/// `fstat` of a raw descriptor (outside the extension, where `stat` would name swift-system's method).
private func fileStatus(_ descriptor: CInt) throws -> stat {
    var status = stat()
    guard fstat(descriptor, &status) == 0 else { throw Errno(rawValue: errno) }
    return status
}

extension stat {
    /// Whether this is a regular file.
    package var isRegularFile: Bool { (st_mode & S_IFMT) == S_IFREG }
    /// Whether this is a folder.
    package var isFolder: Bool { (st_mode & S_IFMT) == S_IFDIR }
    /// Whether this is a block device.
    package var isBlockDevice: Bool { (st_mode & S_IFMT) == S_IFBLK }
}
