import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Open file descriptors of page data files, kept open for positional reads and writes.
final class FileTable: Sendable {
    private let descriptors = Mutex<[String: Int32]>([:])

    func descriptor(for path: String, writable: Bool) throws -> Int32 {
        try descriptors.withLock { table in
            if let existing = table[path] { return existing }
            let descriptor = open(path, O_RDWR | O_CREAT, 0o644)
            guard descriptor >= 0 else {
                throw LocalCloudError(.io, "Could not open the data file \(path) (errno \(errno)).")
            }
            table[path] = descriptor
            return descriptor
        }
    }

    func close(_ path: String) {
        let descriptor = descriptors.withLock { $0.removeValue(forKey: path) }
        if let descriptor { _ = Glibc.close(descriptor) }
    }

    /// Flushes every open file to disk (`fsync`), e.g. when LocalCloud shuts down.
    func synchronizeAll() {
        descriptors.withLock { table in
            for descriptor in table.values { _ = fsync(descriptor) }
        }
    }

    static func readFully(_ descriptor: Int32, into destination: UnsafeMutableRawPointer, count: Int, at offset: Int64)
        throws
    {
        var done = 0
        while done < count {
            let read = pread(descriptor, destination + done, count - done, off_t(offset) + off_t(done))
            if read < 0 {
                throw LocalCloudError(.io, "Could not read page data (errno \(errno)).")
            }
            if read == 0 {
                // Past the end of a sparse file: the rest reads as zeros.
                (destination + done).initializeMemory(as: UInt8.self, repeating: 0, count: count - done)
                return
            }
            done += read
        }
    }
}
