import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A ``DiskSource`` reading a local file or block device with `pread`.
public final class FileDiskSource: DiskSource {
    /// The file's path.
    public let path: String
    public let size: Int64
    private let descriptor: Int32

    /// Opens a file for reading.
    /// - Throws: ``RepositoryError`` with ``RepositoryError/Code/sourceFailure`` when it cannot be opened.
    public init(path: String) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw RepositoryError(
                .sourceFailure,
                "cannot open the disk image \(path); check that it exists and is readable",
                underlying: SystemCallError(operation: "open", code: errno)
            )
        }
        let end = lseek(descriptor, 0, SEEK_END)
        guard end >= 0 else {
            close(descriptor)
            throw RepositoryError(
                .sourceFailure,
                "cannot find the size of \(path)",
                underlying: SystemCallError(operation: "lseek", code: errno)
            )
        }
        self.path = path
        self.descriptor = descriptor
        self.size = Int64(end)
    }

    deinit {
        close(descriptor)
    }

    public func read(at offset: Int64, length: Int) async throws -> Data {
        var data = Data(count: length)
        try data.withUnsafeMutableBytes { raw in try readFully(at: offset, into: raw) }
        return data
    }

    public func read(at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) async throws {
        try readFully(at: offset, into: buffer)
    }

    /// Fills `raw` from `offset` with `pread`, synchronously.
    func readFully(at offset: Int64, into raw: UnsafeMutableRawBufferPointer) throws {
        let length = raw.count
        guard let base = raw.baseAddress else { return }
        var done = 0
        while done < length {
            let result = pread(descriptor, base + done, length - done, off_t(offset) + off_t(done))
            if result < 0 {
                if errno == EINTR { continue }
                throw RepositoryError(
                    .sourceFailure,
                    "reading \(path) at offset \(offset + Int64(done)) failed",
                    underlying: SystemCallError(operation: "pread", code: errno)
                )
            }
            if result == 0 {
                throw RepositoryError(
                    .sourceFailure,
                    "\(path) ended at offset \(offset + Int64(done)) while \(size) bytes were expected; "
                        + "was it truncated during the backup?"
                )
            }
            done += result
        }
    }
}
