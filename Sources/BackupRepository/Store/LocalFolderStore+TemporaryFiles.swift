import Foundation
import SystemPackage

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Removing the temporary files of writes that never finished.
extension LocalFolderStore {
    /// Deletes the `.tmp-` files, anywhere below the root, last modified before `cutoff`.
    ///
    /// A write that is killed between creating its temporary file and renaming it leaves the file behind (a pack
    /// is about 16 MiB). A live write modifies its file until it renames it, so a file older than a grace period
    /// (prune passes its ``GarbageGrace`` limit) belongs to a writer that is gone.
    /// - Returns: The number of files and bytes removed.
    @discardableResult
    public func removeAbandonedTemporaryFiles(modifiedBefore cutoff: Date) async throws -> (files: Int, bytes: Int64) {
        try await io.run { try removeTemporaryFiles(in: root, modifiedBefore: cutoff) }
    }

    private func removeTemporaryFiles(in folder: String, modifiedBefore cutoff: Date) throws -> (
        files: Int, bytes: Int64
    ) {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder)
        } catch {
            // A folder removed during the sweep has nothing left to clean.
            if !FileManager.default.fileExists(atPath: folder) { return (0, 0) }
            throw ObjectStoreError(
                .io,
                key: "",
                location: root,
                message: "cannot read the folder \(folder) to remove abandoned temporary files; check its permissions",
                underlying: error as? Errno
            )
        }
        var removed = (files: 0, bytes: Int64(0))
        for name in names {
            let path = folder + "/" + name
            var status = stat()
            guard lstat(path, &status) == 0 else {
                if errno == ENOENT { continue }
                throw failure(Errno(rawValue: errno), key: name, operation: "lstat a temporary file")
            }
            if status.isFolder {
                let inner = try removeTemporaryFiles(in: path, modifiedBefore: cutoff)
                removed.files += inner.files
                removed.bytes += inner.bytes
            } else if name.hasPrefix(Self.temporaryPrefix), status.isRegularFile,
                Self.modificationDate(status) < cutoff
            {
                guard unlink(path) == 0 || errno == ENOENT else {
                    throw failure(Errno(rawValue: errno), key: name, operation: "delete an abandoned temporary file")
                }
                removed.files += 1
                removed.bytes += Int64(status.st_size)
            }
        }
        return removed
    }
}
