import Foundation
import Synchronization

/// Random access to the bytes of one restore point's disk, for file-level restore.
///
/// A reader finds the block holding an offset by descending the restore point's tree by index, loading only
/// the nodes on that path, and never materialises the disk. It keeps a small least-recently-used cache of
/// tree nodes and of decoded blocks, so its memory is bounded whatever the disk size (docs/FORMAT.md,
/// "Memory bounds"). Get one with ``Repository/withDiskReader(_:lockOptions:_:)``, which holds one shared
/// lock of the repository for the reader's whole life. Safe to use from several tasks at once.
public final class DiskReader: Sendable {
    /// What a reader has fetched so far.
    public struct Statistics: Sendable, Hashable {
        /// Data blocks fetched and decoded (cache misses).
        public var blocksFetched = 0
        /// Tree nodes loaded (cache misses).
        public var nodesLoaded = 0
        /// Sealed bytes read from the repository for blocks and nodes.
        public var bytesFetched: Int64 = 0
    }

    private struct State: Sendable {
        var nodes: LRUCache<BlockID, TreeNode>
        var blocks: LRUCache<Int64, Data>
        var statistics = Statistics()
    }

    /// Decoded blocks kept (64 × the block size: 16 MiB at 256 KiB blocks).
    public static let cachedBlocks = 64
    /// Tree nodes kept (each at most fanout × ~100 bytes: ~1.6 MiB at fanout 256).
    public static let cachedNodes = 64
    /// The most bytes one ``read(at:count:)`` returns.
    public static let maximumReadLength = 16 << 20
    /// The most blocks one read fetches at once.
    static let fetchConcurrency = 8

    /// The restore point read.
    public let restorePoint: RestorePoint
    let repository: Repository
    let geometry: TreeGeometry
    private let root: BlockRef?
    private let state: Mutex<State>

    init(repository: Repository, point: RestorePoint, disk: RestorePointDisk) throws {
        guard disk.blockSize > 0, disk.treeFanout >= 2, disk.size >= 0 else {
            throw RepositoryError.damaged(
                point.id.objectKey,
                location: repository.location,
                "the geometry of its disk \(disk.slot) is invalid"
            )
        }
        self.repository = repository
        self.restorePoint = point
        geometry = disk.geometry
        if let stored = disk.root {
            guard let ref = stored.ref else {
                throw RepositoryError.damaged(
                    point.id.objectKey,
                    location: repository.location,
                    "its root reference is invalid"
                )
            }
            root = ref
        } else {
            root = nil
        }
        state = Mutex(State(nodes: LRUCache(capacity: Self.cachedNodes), blocks: LRUCache(capacity: Self.cachedBlocks)))
    }

    /// The disk's size in bytes.
    public var size: Int64 { restorePoint.diskSize }

    /// What this reader fetched so far.
    public var statistics: Statistics { state.withLock { $0.statistics } }

    /// Reads exactly `count` bytes (at most ``maximumReadLength``) from `offset`; zero blocks read as zeros.
    /// - Throws: ``RepositoryError`` with code ``RepositoryError/Code/invalidArgument`` when the range leaves
    ///   the disk or is too long, or the errors of reading a block.
    public func read(at offset: Int64, count: Int) async throws -> Data {
        guard offset >= 0, count >= 0, count <= Self.maximumReadLength, offset <= size, Int64(count) <= size - offset
        else {
            throw RepositoryError(
                .invalidArgument,
                "a read of \(count) bytes at offset \(offset) lies outside restore point \(restorePoint.id) "
                    + "(\(size) bytes; at most \(Self.maximumReadLength) bytes per read)"
            )
        }
        guard count > 0 else { return Data() }
        try LockHandle.checkpoint()
        let blockSize = Int64(geometry.blockSize)
        let first = offset / blockSize
        let last = (offset + Int64(count) - 1) / blockSize
        let blocks = try await fetchBlocks(first...last)
        var result = Data(capacity: count)
        for index in first...last {
            let start = index * blockSize
            let from = Int(max(offset, start) - start)
            let to = Int(min(offset + Int64(count), start + blockSize) - start)
            if let data = blocks[index], !data.isEmpty {  // a zero block is cached as empty data
                result.append(data[data.startIndex + from..<data.startIndex + to])
            } else {
                result.append(Data(count: to - from))
            }
        }
        return result
    }

    /// The decoded non-zero blocks of `indices`, from the cache or fetched a few at a time.
    private func fetchBlocks(_ indices: ClosedRange<Int64>) async throws -> [Int64: Data] {
        var found: [Int64: Data] = [:]
        var missing: [Int64] = []
        state.withLock { state in
            for index in indices {
                if let data = state.blocks.value(for: index) { found[index] = data } else { missing.append(index) }
            }
        }
        if missing.isEmpty { return found }
        try await withThrowingTaskGroup(of: (Int64, Data?).self) { group in
            var next = missing.makeIterator()
            var running = 0
            while running < Self.fetchConcurrency, let index = next.next() {
                group.addTask { (index, try await self.fetchBlock(index)) }
                running += 1
            }
            while let (index, data) = try await group.next() {
                found[index] = data
                if let index = next.next() { group.addTask { (index, try await self.fetchBlock(index)) } }
            }
        }
        return found
    }

    /// Fetches one block through the tree (`nil` for a zero block) and caches it.
    private func fetchBlock(_ index: Int64) async throws -> Data? {
        guard let ref = try await reference(ofBlock: index) else {
            state.withLock { $0.blocks.insert(Data(), for: index) }
            return nil
        }
        let (data, key) = try await repository.readBlock(ref, purpose: "block \(index) of \(restorePoint.id)")
        let expected = geometry.length(ofBlock: index)
        guard data.count == expected else {
            throw RepositoryError.damaged(
                key,
                location: repository.location,
                "block \(index) has \(data.count) bytes where \(expected) were expected"
            )
        }
        state.withLock {
            $0.blocks.insert(data, for: index)
            $0.statistics.blocksFetched += 1
            $0.statistics.bytesFetched += Int64(ref.hint?.entry.storedLength ?? UInt32(data.count))
        }
        return data
    }

    /// The reference of block `index`, descending from the root and loading only the nodes on the path.
    func reference(ofBlock index: Int64) async throws -> BlockRef? {
        guard var ref = root, index >= 0, index < geometry.blockCount else { return nil }
        var level = geometry.depth - 1
        var firstBlock: Int64 = 0
        while true {
            let node = try await node(ref, level: level)
            let childSpan = geometry.span(level: level) / Int64(geometry.fanout)
            let slot = Int((index - firstBlock) / childSpan)
            guard let entry = Self.entry(in: node, slot: slot) else { return nil }
            if level == 0 { return entry.ref }
            ref = entry.ref
            firstBlock += Int64(slot) * childSpan
            level -= 1
        }
    }

    /// The entry of `slot` in a node (entries are sorted by slot).
    private static func entry(in node: TreeNode, slot: Int) -> TreeNode.Entry? {
        var low = 0
        var high = node.entries.count
        while low < high {
            let middle = (low + high) / 2
            if node.entries[middle].slot < slot { low = middle + 1 } else { high = middle }
        }
        guard low < node.entries.count, node.entries[low].slot == slot else { return nil }
        return node.entries[low]
    }

    private func node(_ ref: BlockRef, level: Int) async throws -> TreeNode {
        if let cached = state.withLock({ $0.nodes.value(for: ref.id) }) { return cached }
        let node = try await repository.loadNode(ref)
        guard node.level == level else {
            throw RepositoryError(
                .damagedObject,
                "tree node \(ref.id.hex) has level \(node.level) where level \(level) was expected; "
                    + "run `nimbus repo verify`"
            )
        }
        state.withLock {
            $0.nodes.insert(node, for: ref.id)
            $0.statistics.nodesLoaded += 1
            $0.statistics.bytesFetched += Int64(ref.hint?.entry.storedLength ?? ref.rawLength)
        }
        return node
    }
}

extension Repository {
    /// Runs `body` with a random-access reader over a restore point's disk, holding one shared lock of the
    /// repository until `body` returns (so that no prune deletes a pack while it is read). The reader must
    /// not be used after `body` returns.
    public func withDiskReader<T>(
        _ id: RestorePointID,
        disk slot: VMDiskSlot? = nil,
        lockOptions: LockOptions = LockOptions(),
        _ body: (DiskReader) async throws -> T
    ) async throws -> T {
        try await withLock(.shared, purpose: "file restore", options: lockOptions, logger: logger) { _ in
            let point = try await restorePoint(id)
            return try await body(DiskReader(repository: self, point: point, disk: try point.disk(slot)))
        }
    }
}
