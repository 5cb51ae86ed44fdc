import Foundation
import SystemPackage

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An ``ObjectStore`` over a folder of the local file system: each key is a file path below the root.
///
/// Writes go to a temporary file in the destination folder, which is flushed (`fsync`) and then renamed
/// (or hard-linked, for ``PutMode/createOnly``) into place, after which the folder itself is flushed.
/// A reader therefore never sees a partial object, even after a crash. Objects are created read-only
/// (mode 0444, less the umask): nothing rewrites an object in place. Temporary files start with `.tmp-`
/// and are never listed; ``removeAbandonedTemporaryFiles(modifiedBefore:)`` deletes those a killed writer left.
///
/// Every system call runs on a ``FileIOPool`` thread, one hop per operation.
public struct LocalFolderStore: ObjectStore {
    /// The folder holding the objects.
    public let root: String
    /// The number of objects returned per ``list(prefix:continuation:)`` page.
    public let pageSize: Int
    /// The pool that runs the blocking calls.
    let io: FileIOPool

    /// The permissions every object file is created with.
    static let objectPermissions: FilePermissions = [.ownerRead, .groupRead, .otherRead]

    public var location: String { root }

    /// Opens (and with `create` creates) a store rooted at `root`.
    /// - Throws: ``ObjectStoreError`` when the folder is missing and `create` is false, or cannot be created.
    public init(root: String, create: Bool = true, pageSize: Int = 1000, io: FileIOPool = .shared) throws {
        var path = root
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        self.root = path
        self.pageSize = max(1, pageSize)
        self.io = io
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
            guard isFolder.boolValue else {
                throw ObjectStoreError(
                    .io,
                    key: "",
                    location: path,
                    message: "the path exists but is not a folder; choose another repository location"
                )
            }
        } else if create {
            try Self.makeFolders(path, location: path, key: "")
        } else {
            throw ObjectStoreError(
                .notFound,
                key: "",
                location: path,
                message: "the repository folder does not exist; check the path"
            )
        }
    }

    public func put(_ key: String, contents: Data, mode: PutMode) async throws {
        try await io.run { try putBlocking(key, contents: contents, mode: mode) }
    }

    public func get(_ key: String, range: Range<Int64>?) async throws -> Data {
        try await io.run { try getBlocking(key, range: range) }
    }

    public func head(_ key: String) async throws -> ObjectInfo? {
        let path = try filePath(for: key)
        return try await io.run {
            var status = stat()
            guard stat(path, &status) == 0 else {
                if errno == ENOENT || errno == ENOTDIR { return nil }
                throw failure(Errno(rawValue: errno), key: key, operation: "stat")
            }
            return ObjectInfo(key: key, size: Int64(status.st_size), modified: Self.modificationDate(status))
        }
    }

    public func list(prefix: String, continuation: String?) async throws -> ObjectListPage {
        try await io.run { try listBlocking(prefix: prefix, after: continuation) }
    }

    public func delete(_ key: String) async throws {
        let path = try filePath(for: key)
        try await io.run {
            guard unlink(path) == 0 else {
                if errno == ENOENT { return }
                throw failure(Errno(rawValue: errno), key: key, operation: "delete")
            }
        }
    }
}

extension LocalFolderStore {
    func filePath(for key: String) throws -> String {
        guard Self.isValid(key) else {
            throw ObjectStoreError(
                .invalidKey,
                key: key,
                location: root,
                message: "keys use only letters, digits, '.', '_', '-' and '/', with no empty or dot-only parts"
            )
        }
        return root + "/" + key
    }

    static func isValid(_ key: String) -> Bool {
        guard !key.isEmpty, !key.hasPrefix("/"), !key.hasSuffix("/") else { return false }
        for part in key.split(separator: "/", omittingEmptySubsequences: false) {
            if part.isEmpty || part == "." || part == ".." || part.hasPrefix(".tmp-") { return false }
        }
        return key.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"),
                UInt8(ascii: "/"):
                true
            default: false
            }
        }
    }

    func syncFolder(_ folder: String, key: String) throws {
        let descriptor: FileDescriptor
        do {
            descriptor = try FileDescriptor.open(
                FilePath(folder),
                .readOnly,
                options: [.directory, .closeOnExec]
            )
        } catch {
            throw failure(error, key: key, operation: "open the folder")
        }
        defer { try? descriptor.close() }
        do {
            try descriptor.sync()
        } catch {
            throw failure(error, key: key, operation: "flush the folder")
        }
    }

    static func makeFolders(_ path: String, location: String, key: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw ObjectStoreError(
                .io,
                key: key,
                location: location,
                message: "cannot create the folder \(path); check permissions and free space",
                underlying: Errno(rawValue: errno)
            )
        }
    }

    /// The store error for a failed system call: `error` is normally an `Errno`.
    func failure(_ error: any Error, key: String, operation: String) -> ObjectStoreError {
        guard let code = error as? Errno else {
            return ObjectStoreError(.io, key: key, location: root, message: "\(operation) failed: \(error)")
        }
        switch code {
        case .noSuchFileOrDirectory, .notDirectory:
            return ObjectStoreError(.notFound, key: key, location: root, message: "the object does not exist")
        case .fileExists:
            return ObjectStoreError(.alreadyExists, key: key, location: root, message: "the object already exists")
        case .permissionDenied, .notPermitted, .readOnlyFileSystem:
            return ObjectStoreError(
                .permissionDenied,
                key: key,
                location: root,
                message: "access denied (\(operation)); check the folder's owner and permissions",
                underlying: code
            )
        case .noSpace, .diskQuotaExceeded:
            return ObjectStoreError(
                .noSpace,
                key: key,
                location: root,
                message: "the disk holding the repository is full (\(operation)); free space or move the repository",
                underlying: code
            )
        default:
            return ObjectStoreError(.io, key: key, location: root, message: "\(operation) failed", underlying: code)
        }
    }

    static func randomSuffix() -> String {
        var generator = SystemRandomNumberGenerator()
        return String(generator.next(), radix: 16) + String(generator.next(), radix: 16)
    }

    static func modificationDate(_ status: stat) -> Date {
        #if canImport(Darwin)
        let time = status.st_mtimespec
        #else
        let time = status.st_mtim
        #endif
        return Date(timeIntervalSince1970: TimeInterval(time.tv_sec) + TimeInterval(time.tv_nsec) / 1e9)
    }
}
