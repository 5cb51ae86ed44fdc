import Foundation
import SystemPackage

/// Writes and reads small state files under the data folder; writes are atomic and durable (a temporary file
/// created with its final permissions, fsync, rename, fsync of the folder).
enum AtomicFile {
    /// Permissions for files anyone on the machine may read.
    static let readable: FilePermissions = [.ownerReadWrite, .groupRead, .otherRead]
    /// Permissions for files holding secrets (keys, client secrets): the owner only.
    static let secret: FilePermissions = [.ownerReadWrite]

    /// Replaces the file at `url` with `data`, so that a crash leaves either the old or the new content.
    ///
    /// The file is created with `permissions` (it is never visible with wider ones), and the folder is synced
    /// after the rename so that the new name survives a crash too.
    static func write(_ data: Data, to url: URL, permissions: FilePermissions = readable) throws {
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let file = try FileDescriptor.open(
                FilePath(temporary.path),
                .writeOnly,
                options: [.create, .exclusiveCreate],
                permissions: permissions
            )
            try file.closeAfter {
                _ = try file.writeAll(data)
                try file.synchronize()
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw LocalCloudError(.io, "Could not write \(url.path); check the data folder is writable.", cause: error)
        }
        do {
            try Self.rename(temporary.path, to: url.path)
            try Self.synchronizeFolder(directory.path)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw LocalCloudError(
                .io,
                "Could not replace \(url.path); check the data folder is writable.",
                cause: error
            )
        }
    }

    /// Encodes `value` as JSON and writes it atomically.
    static func writeJSON(_ value: some Encodable, to url: URL, permissions: FilePermissions = readable) throws {
        try write(try encode(value), to: url, permissions: permissions)
    }

    /// The JSON form ``writeJSON(_:to:permissions:)`` writes.
    static func encode(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(value)
    }

    /// Reads and decodes a JSON file, or returns `nil` when it does not exist.
    static func readJSON<T: Decodable>(_ type: T.Type, from url: URL) throws -> T? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        do {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            return try decoder.decode(type, from: try Data(contentsOf: url))
        } catch {
            throw LocalCloudError(.state, "Could not read \(url.path); the file is damaged, remove it.", cause: error)
        }
    }

    /// Flushes a folder's entries (names created, renamed or removed in it) to disk.
    static func synchronizeFolder(_ path: String) throws {
        let folder = try FileDescriptor.open(FilePath(path), .readOnly, options: [.directory])
        try folder.closeAfter { try folder.synchronize() }
    }

    private static func rename(_ source: String, to destination: String) throws(Errno) {
        let result = source.withCString { from in destination.withCString { to in Foundation.rename(from, to) } }
        guard result == 0 else { throw Errno(rawValue: errno) }
    }
}
