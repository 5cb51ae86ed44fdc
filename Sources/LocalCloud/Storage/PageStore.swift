import Foundation
import Synchronization
import SystemPackage

/// Sparse page data with copy-on-write snapshots: the storage engine of page blobs, managed disks and their
/// incremental snapshots.
///
/// A *volume* is a writable page device of a given size; a *snapshot* is a frozen view of a volume at one
/// moment. Internally both are *layers*: a layer records which pages were written or cleared while it was the
/// volume's top, and keeps written data in its own sparse file at the pages' own offsets. Taking a snapshot
/// freezes the volume's top layer and starts an empty one above it, so it costs O(1) whatever the volume size;
/// the pages written between two snapshots are exactly the layers between them, which makes diffs exact.
/// A volume created from a snapshot starts as an empty layer above it (no data is copied).
///
/// Layout under the store's folder: `catalog.json` (volumes and snapshots → layers), `layers/ID.json` (a frozen
/// layer's page sets), `layers/ID.journal` (the write log of a volume's top layer) and `layers/ID.data` (sparse
/// page data). All offsets and lengths must be multiples of ``pageSize``.
public final class PageStore: Sendable {
    /// The page size: every offset and length is a multiple of it.
    public static let pageSize: Int64 = 512

    /// A volume's stable identifier.
    public struct VolumeID: Hashable, Sendable, Codable, CustomStringConvertible {
        /// The identifier text.
        public var rawValue: String
        /// Wraps an identifier.
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }
    }

    /// A snapshot's identifier.
    public struct SnapshotID: Hashable, Sendable, Codable, CustomStringConvertible {
        /// The identifier text.
        public var rawValue: String
        /// Wraps an identifier.
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }
    }

    /// A readable state: a volume's current content or a snapshot.
    public enum Version: Hashable, Sendable {
        /// The volume's current content.
        case volume(VolumeID)
        /// A snapshot.
        case snapshot(SnapshotID)
    }

    /// Where a piece of a read comes from.
    public enum Source: Hashable, Sendable {
        /// Bytes of a layer's data file at the same offset.
        case layer(path: String)
        /// Zeros (never written or cleared).
        case zeros
    }

    /// A piece of a read: a byte range and where its bytes are.
    public struct Segment: Hashable, Sendable {
        /// The range of the volume this segment covers.
        public var range: Range<Int64>
        /// Where its bytes come from.
        public var source: Source
    }

    /// One range of a diff: pages written (`cleared == false`) or cleared since the older version.
    public struct DiffRange: Hashable, Sendable {
        /// The byte range (page-aligned).
        public var range: Range<Int64>
        /// Whether the pages were cleared (read as zeros) rather than written.
        public var cleared: Bool
    }

    struct Layer: Sendable, Codable {
        var id: String
        var parent: String?
        var size: Int64
        var written: PageSet
        var cleared: PageSet
        var frozen: Bool
    }

    struct Catalog: Sendable, Codable {
        var volumes: [String: String] = [:]
        var snapshots: [String: String] = [:]
    }

    struct State: Sendable {
        var catalog = Catalog()
        var layers: [String: Layer] = [:]
        /// Writes whose data is being written into a layer and not yet recorded in it, by layer.
        var writesInFlight: [String: Int] = [:]
    }

    private let directory: URL
    private let layersDirectory: URL
    private let state: Mutex<State>
    private let files: FileTable
    /// Makes catalog and layer changes durable once the state's lock is released.
    private let persistence = PageStoreFiles()
    /// Signalled whenever a layer's last in-flight write finishes (a snapshot waits for it).
    private let writesFinished = NSCondition()

    /// Opens (or creates) a store under `directory`, reloading every volume and snapshot.
    public init(directory: URL) throws {
        self.directory = directory
        layersDirectory = directory.appendingPathComponent("layers")
        do {
            try FileManager.default.createDirectory(at: layersDirectory, withIntermediateDirectories: true)
        } catch {
            throw LocalCloudError(.io, "Could not create the page store folder \(layersDirectory.path).", cause: error)
        }
        var loaded = State()
        if let catalog = try AtomicFile.readJSON(Catalog.self, from: directory.appendingPathComponent("catalog.json")) {
            loaded.catalog = catalog
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: layersDirectory.path)) ?? []
        for name in names where name.hasSuffix(".json") {
            if let layer = try AtomicFile.readJSON(Layer.self, from: layersDirectory.appendingPathComponent(name)) {
                loaded.layers[layer.id] = layer
            }
        }
        for name in names where name.hasSuffix(".journal") {
            let id = String(name.dropLast(".journal".count))
            guard var layer = loaded.layers[id] else { continue }
            try PageJournal.replay(layersDirectory.appendingPathComponent(name), into: &layer)
            loaded.layers[id] = layer
        }
        state = Mutex(loaded)
        files = FileTable()
    }

    /// Flushes the written page data of every layer to disk (journals and catalogs are written as they change).
    public func synchronize() {
        files.synchronizeAll()
    }

    // MARK: Volumes and snapshots

    /// Creates an empty volume of `size` bytes (all zeros), or one whose content starts as `snapshot`'s.
    public func createVolume(size: Int64, from snapshot: SnapshotID? = nil) throws -> VolumeID {
        try Self.checkAligned(size, "size")
        let volume = VolumeID(UUID().uuidString.lowercased())
        let layer = Layer(
            id: UUID().uuidString.lowercased(),
            parent: nil,
            size: size,
            written: PageSet(),
            cleared: PageSet(),
            frozen: false
        )
        let ticket = try state.withLock { state in
            var layer = layer
            if let snapshot {
                guard let base = state.catalog.snapshots[snapshot.rawValue] else {
                    throw Self.unknown("snapshot", snapshot.rawValue)
                }
                layer.parent = base
                if let baseSize = state.layers[base]?.size, baseSize > size {
                    layer.cleared.insert(size..<baseSize)
                }
            }
            state.layers[layer.id] = layer
            state.catalog.volumes[volume.rawValue] = layer.id
            return persistence.enqueue(try layerHeaderSteps(layer) + [try catalogStep(state.catalog)])
        }
        try persistence.complete(ticket)
        return volume
    }

    /// Freezes the volume's current content as a snapshot. Costs O(1): no page data is copied.
    ///
    /// Writes that start after this call begins land in the volume's new top layer. Writes already under way
    /// in the old top layer finish first and are part of the snapshot, so its content never changes once this
    /// returns, and the diff to the next snapshot holds every write that is not in this one.
    public func snapshot(_ volume: VolumeID) throws -> SnapshotID {
        let next = Layer(
            id: UUID().uuidString.lowercased(),
            parent: nil,
            size: 0,
            written: PageSet(),
            cleared: PageSet(),
            frozen: false
        )
        let (frozenID, created): (String, UInt64) = try state.withLock { state in
            guard let headID = state.catalog.volumes[volume.rawValue], var head = state.layers[headID] else {
                throw Self.unknown("volume", volume.rawValue)
            }
            var next = next
            next.parent = head.id
            next.size = head.size
            head.frozen = true
            state.layers[head.id] = head
            state.layers[next.id] = next
            state.catalog.volumes[volume.rawValue] = next.id
            return (head.id, persistence.enqueue(try layerHeaderSteps(next) + [try catalogStep(state.catalog)]))
        }
        try persistence.complete(created)
        waitForWrites(into: frozenID)
        let (snapshot, frozen): (SnapshotID, UInt64) = try state.withLock { state in
            guard let head = state.layers[frozenID] else { throw Self.unknown("volume", volume.rawValue) }
            let snapshot = SnapshotID(head.id)
            state.catalog.snapshots[snapshot.rawValue] = head.id
            let steps: [PageStoreFiles.Step] = [
                .write(try AtomicFile.encode(head), layerURL(head.id, "json")),
                .remove(layerURL(head.id, "journal")),
                try catalogStep(state.catalog),
            ]
            return (snapshot, persistence.enqueue(steps))
        }
        try persistence.complete(frozen)
        return snapshot
    }

    /// Blocks until no write is in flight into layer `id`. No new write can start there: it is no longer a top.
    private func waitForWrites(into id: String) {
        writesFinished.lock()
        defer { writesFinished.unlock() }
        while state.withLock({ $0.writesInFlight[id, default: 0] > 0 }) {
            writesFinished.wait()
        }
    }

    /// Whether the volume exists.
    public func contains(_ volume: VolumeID) -> Bool {
        state.withLock { $0.catalog.volumes[volume.rawValue] != nil }
    }

    /// Whether the snapshot exists.
    public func contains(_ snapshot: SnapshotID) -> Bool {
        state.withLock { $0.catalog.snapshots[snapshot.rawValue] != nil }
    }

    /// The size in bytes of a version.
    public func size(of version: Version) throws -> Int64 {
        try state.withLock { state in try Self.layer(of: version, in: state).size }
    }

    /// Grows or shrinks a volume; pages beyond a shrunk end read as zeros if it grows again.
    public func resize(_ volume: VolumeID, to size: Int64) throws {
        try Self.checkAligned(size, "size")
        try state.withLock { state in
            guard let headID = state.catalog.volumes[volume.rawValue], var head = state.layers[headID] else {
                throw Self.unknown("volume", volume.rawValue)
            }
            let oldSize = head.size
            if size < oldSize {
                head.written.remove(size..<oldSize)
                head.cleared.insert(size..<oldSize)
                try PageJournal.append(.clear(size..<oldSize), to: layerURL(head.id, "journal"))
            }
            head.size = size
            try PageJournal.append(.resize(size), to: layerURL(head.id, "journal"))
            state.layers[head.id] = head
        }
    }

    /// Deletes a volume; its layers are removed once no snapshot or other volume needs them.
    public func deleteVolume(_ volume: VolumeID) throws {
        let ticket: UInt64? = try state.withLock { state in
            guard let headID = state.catalog.volumes.removeValue(forKey: volume.rawValue) else { return nil }
            let catalog = try catalogStep(state.catalog)
            return persistence.enqueue([catalog] + collect(headID, in: &state))
        }
        if let ticket { try persistence.complete(ticket) }
    }

    /// Deletes a snapshot; its layer is removed once nothing depends on it.
    public func deleteSnapshot(_ snapshot: SnapshotID) throws {
        let ticket: UInt64? = try state.withLock { state in
            guard let layerID = state.catalog.snapshots.removeValue(forKey: snapshot.rawValue) else { return nil }
            let catalog = try catalogStep(state.catalog)
            return persistence.enqueue([catalog] + collect(layerID, in: &state))
        }
        if let ticket { try persistence.complete(ticket) }
    }

    // MARK: Writing

    /// Writes `bytes` at `offset` of the volume (both page-aligned, inside the volume). Blocks in file writes: call
    /// it on ``FileIO``.
    ///
    /// - Parameter dataLatency: How much longer the data takes to reach the disk (a `slowWrite` fault rule): the
    ///   write holds its place in the volume that long after writing its data and before it is recorded, as on a
    ///   slow disk.
    public func write(
        _ volume: VolumeID,
        offset: Int64,
        bytes: UnsafeRawBufferPointer,
        dataLatency: Duration = .zero
    ) throws {
        let length = Int64(bytes.count)
        guard length > 0 else { return }
        try Self.checkAligned(offset, "offset")
        try Self.checkAligned(length, "length")
        let head: Layer = try state.withLock { state in
            guard let headID = state.catalog.volumes[volume.rawValue], let head = state.layers[headID] else {
                throw Self.unknown("volume", volume.rawValue)
            }
            guard offset + length <= head.size else {
                throw LocalCloudError(
                    .state,
                    "The write at \(offset)+\(length) is past the end (\(head.size)) of volume \(volume)."
                )
            }
            state.writesInFlight[head.id, default: 0] += 1
            return head
        }
        defer { finishWrite(into: head.id) }
        let path = layerURL(head.id, "data").path
        do {
            guard let descriptor = try files.descriptor(for: path, writable: true) else { return }
            try descriptor.writeAll(toAbsoluteOffset: offset, bytes)
        } catch {
            throw LocalCloudError(.io, "Could not write page data of volume \(volume) to \(path).", cause: error)
        }
        if dataLatency > .zero { Self.block(for: dataLatency) }
        try state.withLock { state in
            guard var layer = state.layers[head.id] else { return }
            layer.written.insert(offset..<(offset + length))
            layer.cleared.remove(offset..<(offset + length))
            try PageJournal.append(.write(offset..<(offset + length)), to: layerURL(head.id, "journal"))
            state.layers[head.id] = layer
        }
    }

    /// Ends a write into layer `id`, waking a snapshot that waits for the layer's writes.
    private func finishWrite(into id: String) {
        let last = state.withLock { state in
            state.writesInFlight[id, default: 1] -= 1
            guard state.writesInFlight[id] == 0 else { return false }
            state.writesInFlight[id] = nil
            return true
        }
        guard last else { return }
        writesFinished.lock()
        writesFinished.broadcast()
        writesFinished.unlock()
    }

    /// Clears (zeroes) `length` bytes at `offset` of the volume.
    public func clear(_ volume: VolumeID, offset: Int64, length: Int64) throws {
        try Self.checkAligned(offset, "offset")
        try Self.checkAligned(length, "length")
        try state.withLock { state in
            guard let headID = state.catalog.volumes[volume.rawValue], var head = state.layers[headID] else {
                throw Self.unknown("volume", volume.rawValue)
            }
            let range = offset..<min(offset + length, head.size)
            guard !range.isEmpty else { return }
            head.written.remove(range)
            head.cleared.insert(range)
            try PageJournal.append(.clear(range), to: layerURL(head.id, "journal"))
            state.layers[head.id] = head
        }
    }

    // MARK: Reading

    /// Where the bytes of `range` of `version` are: a list of segments covering the range in order.
    public func segments(of version: Version, in range: Range<Int64>) throws -> [Segment] {
        try state.withLock { state in
            var layer: Layer? = try Self.layer(of: version, in: state)
            let window = range.clamped(to: 0..<(layer?.size ?? 0))
            var remaining = PageSet([window])
            var segments: [Segment] = []
            while let current = layer, !remaining.isEmpty {
                var covered = PageSet()
                for piece in remaining.ranges {
                    for written in current.written.intersection(piece) {
                        segments.append(
                            Segment(range: written, source: .layer(path: layerURL(current.id, "data").path))
                        )
                        covered.insert(written)
                    }
                    for cleared in current.cleared.intersection(piece) {
                        segments.append(Segment(range: cleared, source: .zeros))
                        covered.insert(cleared)
                    }
                }
                remaining.subtract(covered)
                layer = current.parent.flatMap { state.layers[$0] }
            }
            for gap in remaining.ranges { segments.append(Segment(range: gap, source: .zeros)) }
            return Self.coalesce(segments.sorted { $0.range.lowerBound < $1.range.lowerBound })
        }
    }

    /// Reads `range` of `version` into memory (for small reads and tests; serve large reads from ``segments(of:in:)``).
    public func read(_ version: Version, range: Range<Int64>) throws -> [UInt8] {
        let segments = try segments(of: version, in: range)
        var output = [UInt8](repeating: 0, count: range.count)
        for segment in segments {
            guard case .layer(let path) = segment.source else { continue }
            let start = Int(segment.range.lowerBound - range.lowerBound)
            try output.withUnsafeMutableBytes { buffer in
                let piece = UnsafeMutableRawBufferPointer(rebasing: buffer[start..<(start + segment.range.count)])
                try files.read(path, at: segment.range.lowerBound, into: piece)
            }
        }
        return output
    }

    /// Reads `count` bytes at `offset` of the file at `path` (a segment's source) into `destination`.
    public func readSegment(path: String, offset: Int64, count: Int, into destination: UnsafeMutableRawPointer) throws {
        try files.read(path, at: offset, into: UnsafeMutableRawBufferPointer(start: destination, count: count))
    }

    /// The pages of `version` holding data (written and not cleared since), within `window`.
    public func validRanges(of version: Version, in window: Range<Int64>) throws -> [Range<Int64>] {
        try state.withLock { state in
            var layer: Layer? = try Self.layer(of: version, in: state)
            let clamped = window.clamped(to: 0..<(layer?.size ?? 0))
            var covered = PageSet()
            var valid = PageSet()
            while let current = layer {
                for written in current.written.intersection(clamped) {
                    for piece in covered.gaps(in: written) { valid.insert(piece) }
                }
                for piece in current.written.intersection(clamped) { covered.insert(piece) }
                for piece in current.cleared.intersection(clamped) { covered.insert(piece) }
                layer = current.parent.flatMap { state.layers[$0] }
            }
            return valid.ranges
        }
    }

    /// The pages that differ between `older` and `newer`: written (with data) or cleared in between, in address
    /// order, within `window`. `older` must be an earlier state of the same volume lineage.
    ///
    /// - Throws: `LocalCloudError` with code `state` when `older` is not an ancestor of `newer`.
    public func diff(from older: Version, to newer: Version, in window: Range<Int64>) throws -> [DiffRange] {
        try state.withLock { state in
            let olderLayer = try Self.layer(of: older, in: state)
            var layer: Layer? = try Self.layer(of: newer, in: state)
            let clamped = window.clamped(to: 0..<(layer?.size ?? 0))
            var covered = PageSet()
            var written = PageSet()
            var cleared = PageSet()
            var reached = false
            while let current = layer {
                if current.id == olderLayer.id {
                    reached = true
                    break
                }
                for range in current.written.intersection(clamped) {
                    for piece in covered.gaps(in: range) { written.insert(piece) }
                }
                for range in current.cleared.intersection(clamped) {
                    for piece in covered.gaps(in: range) { cleared.insert(piece) }
                }
                for range in current.written.intersection(clamped) { covered.insert(range) }
                for range in current.cleared.intersection(clamped) { covered.insert(range) }
                layer = current.parent.flatMap { state.layers[$0] }
            }
            guard reached else {
                throw LocalCloudError(.state, "The previous snapshot is not an earlier state of the same volume.")
            }
            let all =
                written.ranges.map { DiffRange(range: $0, cleared: false) }
                + cleared.ranges.map { DiffRange(range: $0, cleared: true) }
            return all.sorted { $0.range.lowerBound < $1.range.lowerBound }
        }
    }

    // MARK: Internals

    private static func layer(of version: Version, in state: State) throws -> Layer {
        let id: String?
        switch version {
        case .volume(let volume): id = state.catalog.volumes[volume.rawValue]
        case .snapshot(let snapshot): id = state.catalog.snapshots[snapshot.rawValue]
        }
        guard let id, let layer = state.layers[id] else {
            switch version {
            case .volume(let volume): throw unknown("volume", volume.rawValue)
            case .snapshot(let snapshot): throw unknown("snapshot", snapshot.rawValue)
            }
        }
        return layer
    }

    private static func coalesce(_ segments: [Segment]) -> [Segment] {
        var result: [Segment] = []
        for segment in segments {
            if var last = result.last, last.source == segment.source, last.range.upperBound == segment.range.lowerBound
            {
                last.range = last.range.lowerBound..<segment.range.upperBound
                result[result.count - 1] = last
            } else {
                result.append(segment)
            }
        }
        return result
    }

    /// Forgets layer `id` and then its ancestors while nothing references them; returns the steps that remove
    /// their files.
    private func collect(_ id: String, in state: inout State) -> [PageStoreFiles.Step] {
        var steps: [PageStoreFiles.Step] = []
        var candidate: String? = id
        while let current = candidate {
            let referenced =
                state.catalog.volumes.values.contains(current) || state.catalog.snapshots.values.contains(current)
                || state.layers.values.contains { $0.parent == current }
            guard !referenced, let layer = state.layers.removeValue(forKey: current) else { break }
            for suffix in ["json", "journal", "data"] {
                files.close(layerURL(current, suffix).path)
                steps.append(.remove(layerURL(current, suffix)))
            }
            candidate = layer.parent
        }
        return steps
    }

    /// The steps that persist a new layer: its header, and its journal and data files (created empty, or left as
    /// they are when writes already reached them).
    private func layerHeaderSteps(_ layer: Layer) throws -> [PageStoreFiles.Step] {
        [
            .write(try AtomicFile.encode(layer), layerURL(layer.id, "json")),
            .create(layerURL(layer.id, "journal")),
            .create(layerURL(layer.id, "data")),
        ]
    }

    /// The step that persists the catalog as it is now.
    private func catalogStep(_ catalog: Catalog) throws -> PageStoreFiles.Step {
        .write(try AtomicFile.encode(catalog), directory.appendingPathComponent("catalog.json"))
    }

    private func layerURL(_ id: String, _ suffix: String) -> URL {
        layersDirectory.appendingPathComponent("\(id).\(suffix)")
    }

    /// Blocks the calling thread (one of ``FileIO``'s, as a slow disk would) for `duration`.
    private static func block(for duration: Duration) {
        let (seconds, attoseconds) = duration.components
        Thread.sleep(forTimeInterval: Double(seconds) + Double(attoseconds) / 1e18)
    }

    private static func checkAligned(_ value: Int64, _ name: String) throws {
        guard value >= 0, value % pageSize == 0 else {
            throw LocalCloudError(.state, "The \(name) \(value) is not a multiple of \(pageSize) bytes.")
        }
    }

    private static func unknown(_ kind: String, _ id: String) -> LocalCloudError {
        LocalCloudError(.state, "The page store has no \(kind) \(id); it was deleted or never created.")
    }
}
