import Foundation

/// The destination half of a copy: puts sealed blocks, unchanged, into new data and tree packs (kept apart, so
/// that data packs can go to the archive tier while tree packs stay online), stores each full pack, and writes an
/// index object for stored packs every ``indexFlushPacks`` packs and at the end. Used by one task only.
struct CopyPackWriter {
    let destination: Repository
    private var dataPack: PackBuilder
    private var treePack: PackBuilder
    /// Locations in stored packs not yet written to an index object.
    private var unindexed: [BlockLocation] = []
    private var packsSinceFlush = 0
    /// Index objects are written once this many packs wait for one.
    let indexFlushPacks = 32
    /// Tree packs close at this size (or the destination's pack size, when smaller).
    let treePackTarget: Int

    init(destination: Repository) {
        self.destination = destination
        treePackTarget = min(destination.config.packTargetSize, 16 << 20)
        dataPack = Self.builder(for: destination.config.packTargetSize, destination.config)
        treePack = Self.builder(for: treePackTarget, destination.config)
    }

    /// A builder with room for `target` bytes, the block that crosses it and the trailer, so it never grows.
    private static func builder(for target: Int, _ config: RepositoryConfig) -> PackBuilder {
        PackBuilder(capacity: target + 2 * config.blockSize + (target / config.blockSize + 64) * PackFormat.entrySize)
    }

    /// Adds one sealed block or node; stores the pack it lands in once that is full.
    mutating func add(_ block: BlockCodec.Encoded, report: inout CopyReport) async throws {
        if block.flags.contains(.treeNode) {
            _ = treePack.append(block)
            report.nodesCopied += 1
            if treePack.size >= treePackTarget { try await storeTreePack(report: &report) }
        } else {
            _ = dataPack.append(block)
            report.blocksCopied += 1
            if dataPack.size >= destination.config.packTargetSize { try await storeDataPack(report: &report) }
        }
        report.bytesCopied += Int64(block.sealed.count)
    }

    /// Stores both open packs and indexes everything stored.
    mutating func finish(report: inout CopyReport) async throws {
        try await storeDataPack(report: &report)
        try await storeTreePack(report: &report)
        try await flushIndex(report: &report)
    }

    private mutating func storeDataPack(report: inout CopyReport) async throws {
        guard !dataPack.isEmpty else { return }
        var pack = dataPack
        dataPack = Self.builder(for: destination.config.packTargetSize, destination.config)
        try await store(&pack, kind: [], report: &report)
        report.dataPacksWritten += 1
        if destination.tier(forPackOf: []) == .archive && destination.store is any TieredObjectStore {
            report.packsArchived += 1
        }
    }

    private mutating func storeTreePack(report: inout CopyReport) async throws {
        guard !treePack.isEmpty else { return }
        var pack = treePack
        treePack = Self.builder(for: treePackTarget, destination.config)
        try await store(&pack, kind: .treeNode, report: &report)
        report.treePacksWritten += 1
    }

    private mutating func store(_ pack: inout PackBuilder, kind: BlockFlags, report: inout CopyReport) async throws {
        try LockHandle.checkpoint()
        let contents = try pack.finish(cipher: destination.cipher)
        try await destination.putPack(pack.id, contents: contents, kind: kind)
        unindexed.append(contentsOf: pack.entries.map { BlockLocation(pack: pack.id, entry: $0) })
        packsSinceFlush += 1
        if packsSinceFlush >= indexFlushPacks { try await flushIndex(report: &report) }
    }

    /// Writes one index object for the stored packs not yet indexed.
    mutating func flushIndex(report: inout CopyReport) async throws {
        guard !unindexed.isEmpty else { return }
        try await destination.writeIndexObject(IndexObject(locations: unindexed))
        report.indexObjectsWritten += 1
        unindexed.removeAll(keepingCapacity: true)
        packsSinceFlush = 0
    }
}
