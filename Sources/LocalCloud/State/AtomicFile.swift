import Foundation

/// Writes and reads small state files under the data folder; writes are atomic (temporary file, fsync, rename).
enum AtomicFile {
    /// Replaces the file at `url` with `data`, so that a crash leaves either the old or the new content.
    static func write(_ data: Data, to url: URL) throws {
        let directory = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
            guard FileManager.default.createFile(atPath: temporary.path, contents: data) else {
                throw LocalCloudError(.io, "Could not create \(temporary.path); check the data folder is writable.")
            }
            let handle = try FileHandle(forWritingTo: temporary)
            try handle.synchronize()
            try handle.close()
            if rename(temporary.path, url.path) != 0 {
                try? FileManager.default.removeItem(at: temporary)
                throw LocalCloudError(.io, "Could not replace \(url.path) (errno \(errno)).")
            }
        } catch let error as LocalCloudError {
            throw error
        } catch {
            throw LocalCloudError(.io, "Could not write \(url.path); check the data folder is writable.", cause: error)
        }
    }

    /// Encodes `value` as JSON and writes it atomically.
    static func writeJSON(_ value: some Encodable, to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        try write(try encoder.encode(value), to: url)
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
}
