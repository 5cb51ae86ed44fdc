import Crypto
import Foundation
import HTTPTypes
import Synchronization

/// The containers and blobs of one storage account, persisted under `DIR/storage/ACCOUNT/blob/`:
/// `containers/NAME/container.json`, `containers/NAME/blobs/SHA256(name).json` (a blob with its snapshots),
/// `data/ID` (block and append blob content, immutable once written), `blocks/…` (uncommitted blocks) and
/// `pages/` (a ``PageStore`` holding page blobs and their snapshots).
final class BlobStore: Sendable {
    private struct State {
        var containers: [String: ContainerRecord] = [:]
        var blobs: [String: [String: BlobRecord]] = [:]
        /// Counts changes, so that their durable writes (made outside the lock) land in the order they were made.
        var version: UInt64 = 0

        mutating func nextVersion() -> UInt64 {
            version += 1
            return version
        }
    }

    let root: URL
    let pages: PageStore
    private let state: Mutex<State>
    private let files = OrderedFileWriter()

    init(root: URL) throws {
        self.root = root
        let containersURL = root.appendingPathComponent("containers")
        try FileManager.default.createDirectory(at: containersURL, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("data"),
            withIntermediateDirectories: true
        )
        pages = try PageStore(directory: root.appendingPathComponent("pages"))
        var loaded = State()
        for name in (try? FileManager.default.contentsOfDirectory(atPath: containersURL.path)) ?? [] {
            let folder = containersURL.appendingPathComponent(name)
            guard
                let container = try AtomicFile.readJSON(
                    ContainerRecord.self,
                    from: folder.appendingPathComponent("container.json")
                )
            else {
                continue
            }
            loaded.containers[container.name] = container
            var blobs: [String: BlobRecord] = [:]
            let blobsURL = folder.appendingPathComponent("blobs")
            for file in (try? FileManager.default.contentsOfDirectory(atPath: blobsURL.path)) ?? []
            where file.hasSuffix(".json") {
                if let blob = try AtomicFile.readJSON(BlobRecord.self, from: blobsURL.appendingPathComponent(file)) {
                    blobs[blob.name] = blob
                }
            }
            loaded.blobs[container.name] = blobs
        }
        state = Mutex(loaded)
    }

    // MARK: Containers

    func container(_ name: String) -> ContainerRecord? {
        state.withLock { $0.containers[name] }
    }

    func containers() -> [ContainerRecord] {
        state.withLock { Array($0.containers.values) }.sorted { $0.name < $1.name }
    }

    // Every change below updates the in-memory state and takes a version under the account's lock, then makes
    // its durable write (encode, fsync, rename) after releasing it, so one blob's fsync never holds up another's.

    /// Creates a container; returns `false` when it already exists. Blocks: call it on ``FileIO``.
    func createContainer(_ record: ContainerRecord) throws -> Bool {
        let data = try AtomicFile.encode(record)
        let version: UInt64? = state.withLock { state in
            guard state.containers[record.name] == nil else { return nil }
            state.containers[record.name] = record
            state.blobs[record.name] = [:]
            return state.nextVersion()
        }
        guard let version else { return false }
        try files.write(data, to: containerURL(record.name).appendingPathComponent("container.json"), version: version)
        return true
    }

    /// Changes a container's record and persists it; `nil` when it does not exist. Blocks: call it on ``FileIO``.
    func updateContainer(_ name: String, _ change: (inout ContainerRecord) -> Void) throws -> ContainerRecord? {
        let changed: (ContainerRecord, UInt64)? = state.withLock { state in
            guard var record = state.containers[name] else { return nil }
            change(&record)
            state.containers[name] = record
            return (record, state.nextVersion())
        }
        guard let (record, version) = changed else { return nil }
        try files.write(
            try AtomicFile.encode(record),
            to: containerURL(name).appendingPathComponent("container.json"),
            version: version
        )
        return record
    }

    /// Deletes a container and all its blobs; returns `false` when it does not exist.
    func deleteContainer(_ name: String) throws -> Bool {
        let removed: [BlobRecord]? = state.withLock { state in
            guard state.containers.removeValue(forKey: name) != nil else { return nil }
            return Array((state.blobs.removeValue(forKey: name) ?? [:]).values)
        }
        guard let removed else { return false }
        for blob in removed { releaseData(of: blob, keeping: nil) }
        try? FileManager.default.removeItem(at: containerURL(name))
        return true
    }

    // MARK: Blobs

    func blob(_ container: String, _ name: String) -> BlobRecord? {
        state.withLock { state in
            guard var blob = state.blobs[container]?[name] else { return nil }
            blob.settleRehydration()
            return blob
        }
    }

    /// The blobs of a container sorted by name.
    func blobs(_ container: String) -> [BlobRecord] {
        state.withLock { state in
            (state.blobs[container] ?? [:]).values.map { blob in
                var blob = blob
                blob.settleRehydration()
                return blob
            }
        }.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    }

    /// Stores `record` as the blob (creating or replacing it); the replaced blob's data is released unless a
    /// snapshot still uses it. Snapshots of the replaced blob are kept.
    ///
    /// Blocks: call it on ``FileIO``.
    /// `condition` sees the blob as it is when the new one replaces it, under the account's lock, so that a
    /// conditional write (`If-None-Match: *`, `If-Match`) is checked and applied in one step; when it throws,
    /// nothing is stored and the new record's data is released.
    func put(
        _ container: String,
        _ record: BlobRecord,
        condition: (BlobRecord?) throws -> Void = { _ in }
    ) throws {
        let outcome: Result<(BlobRecord?, BlobRecord, UInt64), any Error> = state.withLock { state in
            guard state.containers[container] != nil else { return .failure(BlobStore.containerNotFound) }
            var record = record
            let previous = state.blobs[container]?[record.name]
            do { try condition(previous) } catch { return .failure(error) }
            record.snapshots = previous?.snapshots ?? record.snapshots
            state.blobs[container, default: [:]][record.name] = record
            return .success((previous, record, state.nextVersion()))
        }
        let (previous, stored, version): (BlobRecord?, BlobRecord, UInt64)
        do {
            (previous, stored, version) = try outcome.get()
        } catch {
            releaseData(of: record, keeping: nil)
            throw error
        }
        try files.write(try AtomicFile.encode(stored), to: blobURL(container, stored.name), version: version)
        if let previous { releaseData(of: previous, keeping: stored) }
    }

    /// Changes a blob under the lock and persists it; returns the closure's result, or throws `BlobNotFound`.
    ///
    /// `change` runs under the account's lock: it must not do file I/O. Blocks: call it on ``FileIO``.
    func update<T>(_ container: String, _ name: String, _ change: (inout BlobRecord) throws -> T) throws -> T {
        let (result, record, version): (T, BlobRecord, UInt64) = try state.withLock { state in
            guard state.containers[container] != nil else { throw BlobStore.containerNotFound }
            guard var record = state.blobs[container]?[name] else { throw BlobStore.blobNotFound }
            record.settleRehydration()
            let result = try change(&record)
            state.blobs[container]?[name] = record
            return (result, record, state.nextVersion())
        }
        try files.write(try AtomicFile.encode(record), to: blobURL(container, name), version: version)
        return result
    }

    /// Removes a blob (and its snapshots) and releases its data. Blocks: call it on ``FileIO``.
    func delete(_ container: String, _ name: String) throws {
        let removed: (BlobRecord, UInt64)? = state.withLock { state in
            guard let removed = state.blobs[container]?.removeValue(forKey: name) else { return nil }
            return (removed, state.nextVersion())
        }
        guard let (removed, version) = removed else { return }
        try files.write(nil, to: blobURL(container, name), version: version)
        releaseData(of: removed, keeping: nil)
        for snapshot in removed.snapshots { releaseData(of: snapshot, keeping: nil) }
        try? FileManager.default.removeItem(at: blockFolder(container, name))
    }

    /// Releases a snapshot's data after it was removed from its blob's record.
    func releaseSnapshotData(_ snapshot: BlobRecord, current: BlobRecord) {
        releaseData(of: snapshot, keeping: current)
    }

    // MARK: Files

    func dataURL(_ file: String) -> URL { root.appendingPathComponent("data").appendingPathComponent(file) }

    func newDataFile() -> String { UUID().uuidString.lowercased() }

    func blockFolder(_ container: String, _ blob: String) -> URL {
        root.appendingPathComponent("blocks").appendingPathComponent(container).appendingPathComponent(
            Self.digest(blob)
        )
    }

    func blockURL(_ container: String, _ blob: String, blockID: String) -> URL {
        blockFolder(container, blob).appendingPathComponent(Self.digest(blockID))
    }

    private func containerURL(_ name: String) -> URL {
        root.appendingPathComponent("containers").appendingPathComponent(name)
    }

    private func blobURL(_ container: String, _ name: String) -> URL {
        containerURL(container).appendingPathComponent("blobs").appendingPathComponent(Self.digest(name) + ".json")
    }

    /// Removes the data of `blob` unless `keeping` (or one of its snapshots) refers to the same file or volume.
    private func releaseData(of blob: BlobRecord, keeping: BlobRecord?) {
        let kept = keeping.map { [$0] + $0.snapshots } ?? []
        if let file = blob.dataFile, !kept.contains(where: { $0.dataFile == file }) {
            try? FileManager.default.removeItem(at: dataURL(file))
        }
        if let volume = blob.pageVolume, blob.snapshotTime == nil,
            !kept.contains(where: { $0.pageVolume == volume && $0.snapshotTime == nil })
        {
            try? pages.deleteVolume(PageStore.VolumeID(volume))
        }
        if let snapshot = blob.pageSnapshot, !kept.contains(where: { $0.pageSnapshot == snapshot }) {
            try? pages.deleteSnapshot(PageStore.SnapshotID(snapshot))
        }
    }

    static func digest(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    static let containerNotFound = StorageError(
        .notFound,
        "ContainerNotFound",
        "The specified container does not exist."
    )
    static let blobNotFound = StorageError(.notFound, "BlobNotFound", "The specified blob does not exist.")
}
