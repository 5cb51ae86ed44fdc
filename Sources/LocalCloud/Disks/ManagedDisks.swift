import AzureKit
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The data of managed disks and snapshots: one ``PageStore`` under `DIR/disks/`, where a disk is a volume and a
/// snapshot a copy-on-write snapshot of it, plus a lookup of SAS blob keys (the `md-…` URL segment) to resources.
///
/// One process at a time owns the folder: opening it takes an exclusive lock on `DIR/disks/lock`, so guest I/O
/// from the command line cannot write behind a running LocalCloud's back. Within one process the lock is shared,
/// so a LocalCloud can be started again on the same folder after an earlier one was shut down.
final class ManagedDisks: Sendable {
    /// The page store holding every disk and snapshot.
    let pages: PageStore
    private let keys = Mutex<[String: String]>([:])
    private let lockPath: String

    /// Opens the store under `directory`.
    ///
    /// - Throws: `LocalCloudError` with code `state` when another process (a running LocalCloud) holds the folder.
    init(directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        lockPath = directory.appendingPathComponent("lock").path
        try FolderLocks.acquire(lockPath)
        do {
            pages = try PageStore(directory: directory)
        } catch {
            FolderLocks.release(lockPath)
            throw error
        }
    }

    deinit {
        FolderLocks.release(lockPath)
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
