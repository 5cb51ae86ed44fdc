import Foundation
import SystemPackage

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Listing in key order with one walk per page.
///
/// Keys sort as strings, and a folder's keys all share the prefix `name/`. Sorting each folder's entries with
/// folders named `name/` therefore visits keys in exactly the global order, so a page resumes after its
/// continuation key: folders whose keys all sort before it are skipped unread, files before it are skipped
/// without `lstat`, and the walk stops one key past the page. A page costs the `readdir` of the folders on the
/// way to it plus one `lstat` per key it returns.
extension LocalFolderStore {
    /// One page of keys starting with `prefix` that sort after `after`, on the calling (pool) thread.
    func listBlocking(prefix: String, after: String?) throws -> ObjectListPage {
        let slash = prefix.lastIndex(of: "/")
        let base = slash.map { String(prefix[...$0]) } ?? ""
        var walk = ListingWalk(store: self, prefix: prefix, after: after, limit: pageSize)
        try walk.visit(relativeFolder: base)
        return ObjectListPage(objects: walk.objects, continuation: walk.more ? walk.objects.last?.key : nil)
    }
}

/// The state of one page's walk.
private struct ListingWalk {
    let store: LocalFolderStore
    let prefix: String
    let after: String?
    let limit: Int
    var objects: [ObjectInfo] = []
    /// Whether a key beyond the page exists.
    var more = false

    init(store: LocalFolderStore, prefix: String, after: String?, limit: Int) {
        self.store = store
        self.prefix = prefix
        self.after = after
        self.limit = limit
        objects.reserveCapacity(min(limit, 4096))
    }

    var isDone: Bool { more }

    /// Visits the folder `relativeFolder` (empty or ending in "/") in key order. A missing folder holds no keys;
    /// one that vanished during the walk is skipped.
    mutating func visit(relativeFolder: String) throws {
        let folder = relativeFolder.isEmpty ? store.root : store.root + "/" + String(relativeFolder.dropLast())
        guard let entries = try readFolder(folder, relativeFolder: relativeFolder) else { return }
        for entry in entries {
            if isDone { return }
            if entry.isFolder {
                let child = entry.sortName
                let key = relativeFolder + child
                guard key.hasPrefix(prefix) || prefix.hasPrefix(key) else { continue }
                if let after, key < after, !after.hasPrefix(key) { continue }
                try visit(relativeFolder: key)
            } else {
                let key = relativeFolder + entry.name
                guard key.hasPrefix(prefix) else { continue }
                if let after, key <= after { continue }
                guard let info = try status(of: folder + "/" + entry.name, key: key) else { continue }
                if objects.count == limit {
                    more = true
                    return
                }
                objects.append(info)
            }
        }
    }

    /// A regular file's size and time; `nil` when it vanished since `readdir` or is not a regular file.
    private func status(of path: String, key: String) throws -> ObjectInfo? {
        var status = stat()
        guard lstat(path, &status) == 0 else {
            if errno == ENOENT { return nil }
            throw store.failure(Errno(rawValue: errno), key: key, operation: "list (lstat)")
        }
        guard status.isRegularFile else { return nil }
        return ObjectInfo(key: key, size: Int64(status.st_size), modified: LocalFolderStore.modificationDate(status))
    }

    /// A folder entry: folders sort as `name/`.
    struct Entry {
        var name: String
        var isFolder: Bool
        var sortName: String { isFolder ? name + "/" : name }
    }

    /// The folder's entries (temporary files, `.` and `..` left out) sorted in key order, or `nil` when the folder
    /// does not exist.
    private func readFolder(_ folder: String, relativeFolder: String) throws -> [Entry]? {
        guard let handle = opendir(folder) else {
            let code = Errno(rawValue: errno)
            if code == .noSuchFileOrDirectory || code == .notDirectory { return nil }
            throw readFailure(code, relativeFolder: relativeFolder, operation: "open the folder")
        }
        defer { closedir(handle) }
        var entries: [Entry] = []
        while true {
            errno = 0
            guard let item = readdir(handle) else {
                if errno != 0 {
                    throw readFailure(
                        Errno(rawValue: errno),
                        relativeFolder: relativeFolder,
                        operation: "read the folder"
                    )
                }
                break
            }
            let name = withUnsafeBytes(of: item.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name == "." || name == ".." || name.hasPrefix(LocalFolderStore.temporaryPrefix) { continue }
            let type = item.pointee.d_type
            var isFolder = type == UInt8(DT_DIR)
            if type == UInt8(DT_UNKNOWN) {
                // File systems without d_type: ask lstat (an entry that vanished is skipped).
                var status = stat()
                guard lstat(folder + "/" + name, &status) == 0 else {
                    if errno == ENOENT { continue }
                    throw readFailure(Errno(rawValue: errno), relativeFolder: relativeFolder, operation: "lstat")
                }
                isFolder = status.isFolder
            }
            entries.append(Entry(name: name, isFolder: isFolder))
        }
        entries.sort { $0.sortName < $1.sortName }
        return entries
    }

    private func readFailure(_ code: Errno, relativeFolder: String, operation: String) -> ObjectStoreError {
        let folder = relativeFolder.isEmpty ? "the top folder" : "the folder '\(relativeFolder)'"
        return ObjectStoreError(
            code == .permissionDenied || code == .notPermitted ? .permissionDenied : .io,
            key: relativeFolder,
            location: store.root,
            message: "cannot list \(folder) (\(operation)); check its permissions and the disk",
            underlying: code
        )
    }
}
