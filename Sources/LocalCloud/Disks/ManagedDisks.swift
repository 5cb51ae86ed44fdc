import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The data of managed disks and snapshots: one ``PageStore`` under `DIR/disks/`, where a disk is a volume and a
/// snapshot a copy-on-write snapshot of it, plus a lookup of SAS blob keys (the `md-…` URL segment) to resources.
///
/// One process at a time owns the folder: opening it takes an exclusive lock on `DIR/disks/lock`, so guest I/O
/// from the command line cannot write behind a running LocalCloud's back.
final class ManagedDisks: Sendable {
    /// The page store holding every disk and snapshot.
    let pages: PageStore
    private let keys = Mutex<[String: String]>([:])
    private let lock: Int32

    /// Opens the store under `directory`.
    ///
    /// - Throws: `LocalCloudError` with code `state` when another process (a running LocalCloud) holds the folder.
    init(directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let descriptor = open(directory.appendingPathComponent("lock").path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw LocalCloudError(.io, "Could not open the lock file of the disk folder \(directory.path).")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw LocalCloudError(
                .state,
                "The disk folder \(directory.path) is in use by a running LocalCloud; stop it (or use its API) first."
            )
        }
        lock = descriptor
        do {
            pages = try PageStore(directory: directory)
        } catch {
            close(descriptor)
            throw error
        }
    }

    deinit {
        close(lock)
    }

    /// The ID of the disk or snapshot whose blob key is `key`, looked up in `cloud`'s resources.
    func resourceID(blobKey key: String, cloud: CloudServices) -> String? {
        if let known = keys.withLock({ $0[key] }), cloud.resources.get(known) != nil { return known }
        let found = cloud.resources.list { stored in
            stored.hidden["blobKey"]?.stringValue == key
                && (ResourceIDs.isType(stored.id, Disk.resourceType)
                    || ResourceIDs.isType(stored.id, Snapshot.resourceType))
        }.first?.id
        if let found { keys.withLock { $0[key] = found } }
        return found
    }

    /// The readable version of a stored disk (its volume) or snapshot.
    static func version(of stored: StoredResource) -> PageStore.Version? {
        if let volume = stored.hidden["volume"]?.stringValue { return .volume(PageStore.VolumeID(volume)) }
        if let snapshot = stored.hidden["snapshot"]?.stringValue { return .snapshot(PageStore.SnapshotID(snapshot)) }
        return nil
    }
}
