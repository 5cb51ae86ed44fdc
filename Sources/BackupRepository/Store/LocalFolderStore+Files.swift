import Foundation
import SystemPackage

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The blocking halves of `put` and `get`, run on ``FileIOPool`` threads.
extension LocalFolderStore {
    func putBlocking(_ key: String, contents: Data, mode: PutMode) throws {
        let path = try filePath(for: key)
        let folder = (path as NSString).deletingLastPathComponent
        // An object to replace has its folder already; creating one would leave an empty folder behind.
        if mode != .replaceExisting { try Self.makeFolders(folder, location: root, key: key) }
        let temporary = folder + "/" + Self.temporaryPrefix + Self.randomSuffix()
        let descriptor: FileDescriptor
        do {
            // Created with its final, read-only mode: the descriptor stays writable, the file never is.
            descriptor = try FileDescriptor.open(
                FilePath(temporary),
                .writeOnly,
                options: [.create, .exclusiveCreate, .closeOnExec],
                permissions: Self.objectPermissions
            )
        } catch {
            throw failure(error, key: key, operation: "create a temporary file")
        }
        var removeTemporary = true
        defer {
            if removeTemporary { unlink(temporary) }
        }
        do {
            defer { try? descriptor.close() }
            try contents.withUnsafeBytes { raw in try writeContents(raw, to: descriptor, key: key) }
            do {
                try descriptor.sync()
            } catch {
                throw failure(error, key: key, operation: "flush")
            }
        }
        switch mode {
        case .overwrite:
            guard rename(temporary, path) == 0 else {
                throw failure(Errno(rawValue: errno), key: key, operation: "rename into place")
            }
            removeTemporary = false
        case .createOnly:
            // link(2) fails with EEXIST when the name exists, atomically: the create-only guarantee.
            guard link(temporary, path) == 0 else {
                throw failure(Errno(rawValue: errno), key: key, operation: "link into place")
            }
        case .replaceExisting:
            // The temporary file leaves with what it swapped out (the previous object), removed by the defer.
            try exchange(temporary, withObjectAt: path, key: key)
        }
        try syncFolder(folder, key: key)
    }

    func getBlocking(_ key: String, range: Range<Int64>?, maxBytes: Int) throws -> Data {
        let path = try filePath(for: key)
        let descriptor: FileDescriptor
        do {
            descriptor = try FileDescriptor.open(FilePath(path), .readOnly, options: [.closeOnExec])
        } catch {
            throw failure(error, key: key, operation: "open")
        }
        defer { try? descriptor.close() }
        let size: Int64
        do {
            size = Int64(try descriptor.status().st_size)
        } catch {
            throw failure(error, key: key, operation: "stat")
        }
        let lower = min(max(range?.lowerBound ?? 0, 0), size)
        let upper = min(max(range?.upperBound ?? size, lower), size)
        // Checked before allocating: a damaged or hostile file must not make the reader allocate its size.
        guard upper - lower <= Int64(max(0, maxBytes)) else {
            throw ObjectStoreError.tooLarge(key, location: root, size: upper - lower, limit: maxBytes)
        }
        var data = Data(count: Int(upper - lower))
        let done: Int
        do {
            done = try data.withUnsafeMutableBytes { raw in
                try descriptor.readFully(fromAbsoluteOffset: lower, into: raw)
            }
        } catch {
            throw failure(error, key: key, operation: "read")
        }
        guard done == data.count else {
            throw ObjectStoreError(.io, key: key, location: root, message: "the file became shorter while it was read")
        }
        return data
    }

    /// Writes `raw` at the start of the empty file `descriptor`.
    ///
    /// Large, page-aligned contents (packs) are written with `O_DIRECT` where the file system allows it: they go
    /// from memory to the disk without being copied into the page cache first, which on a busy machine costs
    /// more CPU than compressing them. The unaligned tail, and everything on file systems without direct I/O,
    /// is written normally. The caller flushes the file either way.
    func writeContents(_ raw: UnsafeRawBufferPointer, to descriptor: FileDescriptor, key: String) throws {
        guard let base = raw.baseAddress else { return }
        var written = 0
        if let direct = DirectIO.flag, raw.count >= DirectIO.minimumSize,
            Int(bitPattern: base) % DirectIO.alignment == 0
        {
            let flags = fcntl(descriptor.rawValue, F_GETFL)
            if flags >= 0, fcntl(descriptor.rawValue, F_SETFL, flags | direct) == 0 {
                let aligned = raw.count / DirectIO.alignment * DirectIO.alignment
                while written < aligned {
                    // Refused (EINVAL: the device wants another alignment) or cut short: finish without it.
                    let piece = UnsafeRawBufferPointer(rebasing: raw[written..<aligned])
                    guard let result = try? descriptor.write(toAbsoluteOffset: Int64(written), piece),
                        result > 0, result % DirectIO.alignment == 0
                    else { break }
                    written += result
                }
                guard fcntl(descriptor.rawValue, F_SETFL, flags) == 0 else {
                    throw failure(Errno(rawValue: errno), key: key, operation: "write")
                }
            }
        }
        do {
            try descriptor.writeAll(toAbsoluteOffset: Int64(written), UnsafeRawBufferPointer(rebasing: raw[written...]))
        } catch {
            throw failure(error, key: key, operation: "write")
        }
    }

    /// The name prefix of the temporary files a write creates before it renames or links them into place.
    static let temporaryPrefix = ".tmp-"
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
