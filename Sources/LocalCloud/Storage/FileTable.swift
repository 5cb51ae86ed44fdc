import Synchronization
import SystemPackage

/// Open file descriptors of page data files, kept open for positional reads and writes.
///
/// A file opened for reading only is never created: reading a layer whose data file does not exist (nothing was
/// ever written to it) reads zeros.
final class FileTable: Sendable {
    private struct Entry: Sendable {
        var descriptor: FileDescriptor
        var writable: Bool
        /// Read-only descriptors this one replaced; reads may still use them, so they close with the entry.
        var replaced: [FileDescriptor] = []
    }

    private let entries = Mutex<[String: Entry]>([:])

    /// The descriptor of the file at `path`, opened read-write (created if missing) when `writable`, read-only
    /// otherwise; `nil` when a read-only file does not exist.
    func descriptor(for path: String, writable: Bool) throws -> FileDescriptor? {
        try entries.withLock { table in
            if let existing = table[path], existing.writable || !writable { return existing.descriptor }
            let descriptor: FileDescriptor
            do {
                if writable {
                    descriptor = try FileDescriptor.open(
                        FilePath(path),
                        .readWrite,
                        options: [.create],
                        permissions: [.ownerReadWrite, .groupRead, .otherRead]
                    )
                } else {
                    descriptor = try FileDescriptor.open(FilePath(path), .readOnly)
                }
            } catch Errno.noSuchFileOrDirectory where !writable {
                return nil
            } catch {
                throw LocalCloudError(.io, "Could not open the data file \(path).", cause: error)
            }
            var entry = Entry(descriptor: descriptor, writable: writable)
            if let previous = table[path] { entry.replaced = previous.replaced + [previous.descriptor] }
            table[path] = entry
            return descriptor
        }
    }

    func close(_ path: String) {
        guard let entry = entries.withLock({ $0.removeValue(forKey: path) }) else { return }
        for descriptor in entry.replaced + [entry.descriptor] { try? descriptor.close() }
    }

    /// Flushes every open file to disk (`fsync`), e.g. when LocalCloud shuts down.
    func synchronizeAll() {
        let descriptors = entries.withLock { table in table.values.filter(\.writable).map(\.descriptor) }
        for descriptor in descriptors { try? descriptor.synchronize() }
    }

    /// Reads `buffer.count` bytes at `offset` of the file at `path`; a missing file or bytes past its end read
    /// as zeros.
    func read(_ path: String, at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) throws {
        guard let descriptor = try descriptor(for: path, writable: false) else {
            buffer.initializeMemory(as: UInt8.self, repeating: 0)
            return
        }
        do {
            try descriptor.readFully(fromAbsoluteOffset: offset, into: buffer)
        } catch {
            throw LocalCloudError(.io, "Could not read page data from \(path).", cause: error)
        }
    }
}
