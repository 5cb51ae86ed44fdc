import Foundation

@testable import BackupRepository

/// A minimal object store on real files, used by the lock tests: each key is a file; writes go to
/// a temporary file first and are published with `link` (create-only) or `rename` (overwrite).
struct FolderTestStore: ObjectStore {
    let root: URL

    var location: String { root.path }

    private func url(_ key: String) -> URL { root.appendingPathComponent(key) }

    func put(_ key: String, contents: Data, mode: PutMode) async throws {
        let target = url(key)
        try FileManager.default.createDirectory(
            at: target.deletingLastPathComponent(),
            withIntermediateDirectories: true
        )
        let temporary = target.deletingLastPathComponent().appendingPathComponent(".tmp-\(UUID().uuidString)")
        try contents.write(to: temporary)
        defer { unlink(temporary.path) }
        switch mode {
        case .createOnly:
            if link(temporary.path, target.path) != 0 {
                let code: ObjectStoreError.Code = errno == EEXIST ? .alreadyExists : .io
                throw ObjectStoreError(code, key: key, location: location, message: "create-only write failed")
            }
        case .overwrite:
            guard rename(temporary.path, target.path) == 0 else {
                throw ObjectStoreError(.io, key: key, location: location, message: "rename failed")
            }
        }
    }

    func get(_ key: String, range: Range<Int64>?, maxBytes: Int) async throws -> Data {
        guard let data = FileManager.default.contents(atPath: url(key).path) else {
            throw ObjectStoreError(.notFound, key: key, location: location, message: "no such object")
        }
        guard let range else { return data }
        let lower = Int(min(range.lowerBound, Int64(data.count)))
        let upper = Int(min(range.upperBound, Int64(data.count)))
        return data.subdata(in: lower..<upper)
    }

    func head(_ key: String) async throws -> ObjectInfo? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: url(key).path) else { return nil }
        return ObjectInfo(
            key: key,
            size: (attributes[.size] as? NSNumber)?.int64Value ?? 0,
            modified: attributes[.modificationDate] as? Date ?? Date()
        )
    }

    func list(prefix: String, continuation: String?) async throws -> ObjectListPage {
        var keys: [String] = []
        if let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isDirectoryKey]) {
            for case let file as URL in enumerator {
                let isFolder = (try? file.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) ?? false
                let key = String(file.path.dropFirst(root.path.count + 1))
                let name = file.lastPathComponent
                if key.hasPrefix(prefix) && !name.hasPrefix(".tmp-") && !isFolder {
                    keys.append(key)
                }
            }
        }
        var objects: [ObjectInfo] = []
        for key in keys.sorted() {
            if let info = try await head(key) { objects.append(info) }
        }
        return ObjectListPage(objects: objects, continuation: nil)
    }

    func delete(_ key: String) async throws {
        unlink(url(key).path)
    }
}
