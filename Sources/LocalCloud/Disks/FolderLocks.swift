import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Exclusive `flock` locks on files, held once per process and counted, so that several owners in one process
/// share a lock that other processes cannot take.
enum FolderLocks {
    private static let held = Mutex<[String: (descriptor: Int32, count: Int)]>([:])

    /// Takes (or shares) the lock on `path`.
    ///
    /// - Throws: `LocalCloudError` with code `state` when another process holds it.
    static func acquire(_ path: String) throws {
        try held.withLock { held in
            if var entry = held[path] {
                entry.count += 1
                held[path] = entry
                return
            }
            let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else {
                throw LocalCloudError(.io, "Could not open the lock file \(path).")
            }
            guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
                close(descriptor)
                throw LocalCloudError(
                    .state,
                    "The folder of \(path) is in use by another LocalCloud process; stop it (or use its API) first."
                )
            }
            held[path] = (descriptor, 1)
        }
    }

    /// Gives up one share of the lock on `path`; the last one closes it.
    static func release(_ path: String) {
        held.withLock { held in
            guard var entry = held[path] else { return }
            entry.count -= 1
            if entry.count == 0 {
                close(entry.descriptor)
                held[path] = nil
            } else {
                held[path] = entry
            }
        }
    }
}
