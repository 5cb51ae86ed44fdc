import Synchronization

/// The repository index held in memory for location lookups, loaded on first use.
///
/// Restores rarely need it: tree entries carry location hints. It is loaded when a block has no hint or its
/// hinted pack is gone, and costs about 100 bytes per indexed block.
final class BlockIndexCache: Sendable {
    private let table = Mutex<[BlockID: BlockLocation]?>(nil)

    func lookup(_ id: BlockID, loader: () async throws -> [BlockID: BlockLocation]) async throws -> BlockLocation? {
        if let loaded = table.withLock({ $0 }) { return loaded[id] }
        let loaded = try await loader()
        table.withLock { $0 = loaded }
        return loaded[id]
    }

    func invalidate() {
        table.withLock { $0 = nil }
    }
}
