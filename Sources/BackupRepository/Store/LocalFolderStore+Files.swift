import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The blocking halves of `put` and `get`, run on ``BlockingIO``'s threads.
extension LocalFolderStore {
    func putBlocking(_ key: String, contents: Data, mode: PutMode) throws {
        let path = try filePath(for: key)
        let folder = (path as NSString).deletingLastPathComponent
        try Self.makeFolders(folder, location: root, key: key)
        let temporary = folder + "/.tmp-" + Self.randomSuffix()
        let descriptor = open(temporary, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure(errno, key: key, operation: "create a temporary file") }
        var removeTemporary = true
        defer {
            if removeTemporary { unlink(temporary) }
        }
        do {
            defer { close(descriptor) }
            try contents.withUnsafeBytes { raw in try writeContents(raw, to: descriptor, key: key) }
            guard fsync(descriptor) == 0 else { throw failure(errno, key: key, operation: "flush") }
        }
        switch mode {
        case .overwrite:
            guard rename(temporary, path) == 0 else { throw failure(errno, key: key, operation: "rename into place") }
            removeTemporary = false
        case .createOnly:
            // link(2) fails with EEXIST when the name exists, atomically: the create-only guarantee.
            guard link(temporary, path) == 0 else { throw failure(errno, key: key, operation: "link into place") }
        }
        try syncFolder(folder, key: key)
    }

    func getBlocking(_ key: String, range: Range<Int64>?, maxBytes: Int) throws -> Data {
        let path = try filePath(for: key)
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure(errno, key: key, operation: "open") }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw failure(errno, key: key, operation: "stat") }
        let size = Int64(status.st_size)
        let lower = min(max(range?.lowerBound ?? 0, 0), size)
        let upper = min(max(range?.upperBound ?? size, lower), size)
        // Checked before allocating: a damaged or hostile file must not make the reader allocate its size.
        guard upper - lower <= Int64(max(0, maxBytes)) else {
            throw ObjectStoreError.tooLarge(key, location: root, size: upper - lower, limit: maxBytes)
        }
        let count = Int(upper - lower)
        var data = Data(count: count)
        try data.withUnsafeMutableBytes { raw in
            var done = 0
            while done < count {
                let result = pread(descriptor, raw.baseAddress! + done, count - done, off_t(lower) + off_t(done))
                if result < 0 {
                    if errno == EINTR { continue }
                    throw failure(errno, key: key, operation: "read")
                }
                if result == 0 {
                    throw ObjectStoreError(
                        .io,
                        key: key,
                        location: root,
                        message: "the file became shorter while it was read"
                    )
                }
                done += result
            }
        }
        return data
    }

    /// Writes `raw` at the start of the empty file `descriptor`.
    ///
    /// Large, page-aligned contents (packs) are written with `O_DIRECT` where the file system allows it: they go
    /// from memory to the disk without being copied into the page cache first, which on a busy machine costs
    /// more CPU than compressing them. The unaligned tail, and everything on file systems without direct I/O,
    /// is written normally. The caller flushes the file either way.
    func writeContents(_ raw: UnsafeRawBufferPointer, to descriptor: Int32, key: String) throws {
        guard let base = raw.baseAddress else { return }
        var written = 0
        if let direct = DirectIO.flag, raw.count >= DirectIO.minimumSize,
            Int(bitPattern: base) % DirectIO.alignment == 0
        {
            let flags = fcntl(descriptor, F_GETFL)
            if flags >= 0, fcntl(descriptor, F_SETFL, flags | direct) == 0 {
                let aligned = raw.count / DirectIO.alignment * DirectIO.alignment
                while written < aligned {
                    let result = pwrite(descriptor, base + written, aligned - written, off_t(written))
                    if result < 0 && errno == EINTR { continue }
                    // Refused (EINVAL: the device wants another alignment) or cut short: finish without it.
                    guard result > 0, result % DirectIO.alignment == 0 else { break }
                    written += result
                }
                guard fcntl(descriptor, F_SETFL, flags) == 0 else {
                    throw failure(errno, key: key, operation: "write")
                }
            }
        }
        while written < raw.count {
            let result = pwrite(descriptor, base + written, raw.count - written, off_t(written))
            if result < 0 {
                if errno == EINTR { continue }
                throw failure(errno, key: key, operation: "write")
            }
            written += result
        }
    }
}

/// Direct I/O settings for ``LocalFolderStore``.
enum DirectIO {
    /// `O_DIRECT` (not exported to Swift by Glibc), or `nil` where it is not used.
    static var flag: Int32? {
        #if os(Linux) && arch(x86_64)
        0o40000
        #elseif os(Linux) && arch(arm64)
        0o200000
        #else
        nil
        #endif
    }
    /// Buffer address, length and file offset multiple that direct writes use (a page: enough for every disk).
    static let alignment = 4096
    /// Objects smaller than this are written through the page cache.
    static let minimumSize = 1 << 20
}
