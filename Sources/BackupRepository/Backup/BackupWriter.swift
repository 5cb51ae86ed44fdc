import Foundation

/// The serial half of a backup: fills data and tree packs, writes tree nodes, collects index entries and
/// writes index objects once the packs they describe are stored. Used by one task only.
struct BackupWriter: TreeNodeStore {
    let repository: Repository
    var dataPack: PackBuilder
    var treePack: PackBuilder
    /// Locations of blocks in packs already stored, not yet written to an index object.
    var unindexed: [BlockLocation] = []
    var statistics = BackupProgress()
    /// Index objects are written once this many locations wait (about 10 MB of index)…
    let indexFlushThreshold = 200_000
    /// …or once this many packs are stored…
    let indexFlushPacks = 32
    /// …or once the oldest waiting location has waited this long, so that a backup killed at any moment
    /// leaves at most this much of its upload unindexed (a rerun reuses the rest through deduplication).
    let indexFlushInterval = Duration.seconds(10)
    var packsSinceFlush = 0
    /// When the oldest location waiting for an index object was added.
    var unindexedSince: ContinuousClock.Instant?
    /// Memory for data packs, reused once a pack is stored.
    let packBuffers: PackBufferPool

    init(repository: Repository) {
        self.repository = repository
        packBuffers = PackBufferPool(capacity: PackBufferPool.capacity(for: repository.config))
        dataPack = PackBuilder(pool: packBuffers)
        treePack = PackBuilder(capacity: 1 << 20)
    }

    /// Adds a new data block to the current pack; returns its location and, when the pack is full, the
    /// finished pack to upload.
    mutating func add(_ block: BlockCodec.Encoded) throws -> (BlockLocation, FinishedPack?) {
        let location = dataPack.append(block)
        statistics.bytesStored += Int64(block.sealed.count)
        guard dataPack.size >= repository.config.packTargetSize else { return (location, nil) }
        return (location, try finishDataPack())
    }

    /// Closes the current data pack (if not empty).
    mutating func finishDataPack() throws -> FinishedPack? {
        guard !dataPack.isEmpty else { return nil }
        var pack = dataPack
        dataPack = PackBuilder(pool: packBuffers)
        let contents = try pack.finish(cipher: repository.cipher)
        return FinishedPack(id: pack.id, contents: contents, entries: pack.entries)
    }

    /// Records that a pack is stored: its blocks may now be indexed.
    mutating func packStored(_ pack: FinishedPack.Stored) async throws {
        statistics.packsWritten += 1
        packsSinceFlush += 1
        if unindexed.isEmpty { unindexedSince = .now }
        unindexed.append(contentsOf: pack.entries.map { BlockLocation(pack: pack.id, entry: $0) })
        if unindexed.count >= indexFlushThreshold || packsSinceFlush >= indexFlushPacks { try await flushIndex() }
    }

    /// Writes an index object when the oldest waiting location has waited ``indexFlushInterval``.
    mutating func flushIndexIfDue() async throws {
        guard let since = unindexedSince, ContinuousClock.now - since >= indexFlushInterval else { return }
        try await flushIndex()
    }

    /// Indexes the packs already stored when the backup stops early (failed or cancelled), so that a rerun
    /// reuses them. Runs even when the task is cancelled; a failure here is ignored (the packs stay garbage
    /// for prune).
    mutating func flushIndexAfterFailure() async {
        guard !unindexed.isEmpty else { return }
        let plaintext = Zstd.compress(IndexObject(locations: unindexed).encode())
        let repository = self.repository
        let key = IndexObject.randomKey()
        // A new task does not inherit the cancellation that may have stopped the backup.
        let written = try? await Task { try await repository.putMetadata(key, plaintext: plaintext) }.value
        statistics.metadataBytesWritten += Int64(written ?? 0)
        unindexed.removeAll()
        unindexedSince = nil
    }

    /// Writes an index object for every stored, not yet indexed block.
    mutating func flushIndex() async throws {
        guard !unindexed.isEmpty else { return }
        let object = IndexObject(locations: unindexed)
        let key = IndexObject.randomKey()
        let written = try await repository.putMetadata(key, plaintext: Zstd.compress(object.encode()))
        statistics.metadataBytesWritten += Int64(written)
        unindexed.removeAll(keepingCapacity: true)
        packsSinceFlush = 0
        unindexedSince = nil
    }

    /// Stores the last tree pack.
    mutating func finishTreePack() async throws {
        guard !treePack.isEmpty else { return }
        var pack = treePack
        treePack = PackBuilder(capacity: 1 << 20)
        let contents = try pack.finish(cipher: repository.cipher)
        try await repository.store.put(pack.id.objectKey, contents: contents)
        statistics.metadataBytesWritten += Int64(contents.count)
        try await packStored(.init(id: pack.id, entries: pack.entries))
    }

    func loadNode(_ ref: BlockRef) async throws -> TreeNode {
        try await repository.loadNode(ref)
    }

    mutating func storeNode(_ node: TreeNode) async throws -> BlockRef {
        let plain = node.encode()
        let encoded = try plain.withUnsafeBytes { raw in
            try repository.codec.encode(raw, id: repository.codec.identity(of: raw), kind: .treeNode)
        }
        let location = treePack.append(encoded)
        if treePack.size >= 8 << 20 { try await finishTreePack() }
        return BlockRef(id: encoded.id, rawLength: UInt32(plain.count), hint: location)
    }
}

/// A closed pack waiting to be stored.
struct FinishedPack: Sendable {
    var id: PackID
    var contents: Data
    var entries: [PackEntry]

    /// What remains known about a pack once stored.
    struct Stored: Sendable {
        var id: PackID
        var entries: [PackEntry]
    }
}
