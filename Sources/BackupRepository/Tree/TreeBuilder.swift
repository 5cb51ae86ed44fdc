/// Reads and writes tree nodes for a ``TreeBuilder``.
protocol TreeNodeStore {
    /// Loads the node a reference points to.
    func loadNode(_ ref: BlockRef) async throws -> TreeNode
    /// Stores a node and returns a reference to it.
    mutating func storeNode(_ node: TreeNode) async throws -> BlockRef
}

/// Builds a restore point's tree from per-block updates given in increasing block order, merging them into
/// the parent's tree: only nodes on paths to changed blocks are loaded and rewritten, everything else is
/// shared with the parent. Holds one open node per level, so memory does not depend on the disk size.
struct TreeBuilder {
    private struct OpenNode {
        var index: Int64
        var entries: [Int: BlockRef]
        var original: BlockRef?
        var dirty: Bool
    }

    let geometry: TreeGeometry
    private let depth: Int
    private var open: [OpenNode?]
    private(set) var root: BlockRef?
    /// Nodes written so far.
    private(set) var nodesWritten = 0

    /// Starts from `parentRoot` (the parent's tree, of the same geometry) or from an all-zero disk.
    init(geometry: TreeGeometry, parentRoot: BlockRef?) {
        self.geometry = geometry
        depth = geometry.depth
        open = Array(repeating: nil, count: depth)
        root = parentRoot
    }

    /// Sets block `index` to `ref`, or to zero when `ref` is `nil`. A reference with the same identity as the
    /// current one keeps the current one (and its location hint).
    mutating func set(block index: Int64, to ref: BlockRef?, store: inout some TreeNodeStore) async throws {
        let fanout = Int64(geometry.fanout)
        try await ensureOpen(level: 0, index: index / fanout, store: &store)
        let slot = Int(index % fanout)
        guard var node = open[0] else { return }
        open[0] = nil
        if node.entries[slot]?.id != ref?.id {
            node.entries[slot] = ref
            node.dirty = true
        }
        open[0] = node
    }

    /// Closes every open node and returns the new root (`nil` for an all-zero disk).
    mutating func finish(store: inout some TreeNodeStore) async throws -> BlockRef? {
        for level in 0..<depth where open[level] != nil {
            try await close(level: level, store: &store)
        }
        return root
    }

    private mutating func ensureOpen(level: Int, index: Int64, store: inout some TreeNodeStore) async throws {
        if let current = open[level], current.index == index { return }
        if open[level] != nil { try await close(level: level, store: &store) }
        let fanout = Int64(geometry.fanout)
        var original: BlockRef?
        if level + 1 < depth {
            try await ensureOpen(level: level + 1, index: index / fanout, store: &store)
            original = open[level + 1]?.entries[Int(index % fanout)]
        } else {
            original = root
        }
        var entries: [Int: BlockRef] = [:]
        if let original {
            let node = try await store.loadNode(original)
            for entry in node.entries { entries[entry.slot] = entry.ref }
        }
        open[level] = OpenNode(index: index, entries: entries, original: original, dirty: false)
    }

    private mutating func close(level: Int, store: inout some TreeNodeStore) async throws {
        guard let node = open[level] else { return }
        open[level] = nil
        var ref = node.original
        if node.dirty {
            if node.entries.isEmpty {
                ref = nil
            } else {
                let entries = node.entries.sorted { $0.key < $1.key }.map {
                    TreeNode.Entry(slot: $0.key, ref: $0.value)
                }
                let written = try await store.storeNode(TreeNode(level: level, entries: entries))
                nodesWritten += 1
                ref = written.id == node.original?.id ? node.original : written
            }
        }
        if level + 1 < depth {
            let slot = Int(node.index % Int64(geometry.fanout))
            if var parent = open[level + 1], parent.entries[slot]?.id != ref?.id {
                parent.entries[slot] = ref
                parent.dirty = true
                open[level + 1] = parent
            }
        } else {
            root = ref
        }
    }
}
