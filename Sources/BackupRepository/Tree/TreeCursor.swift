/// Walks a restore point's tree in block order, yielding the non-zero blocks of a block range. Only nodes
/// overlapping the range are loaded, and only one path of nodes is held at a time.
struct TreeCursor {
    private struct Frame {
        var node: TreeNode
        var firstBlock: Int64
        var position: Int
    }

    let repository: Repository
    let geometry: TreeGeometry
    let range: Range<Int64>
    private var root: BlockRef?
    private var stack: [Frame] = []
    /// Tree nodes loaded so far.
    private(set) var nodesLoaded = 0

    init(repository: Repository, geometry: TreeGeometry, root: BlockRef?, range: Range<Int64>) {
        self.repository = repository
        self.geometry = geometry
        self.root = root
        self.range = range
    }

    /// The next non-zero block in the range: its index and reference.
    mutating func next() async throws -> (index: Int64, ref: BlockRef)? {
        if let pending = root {
            root = nil
            try await push(pending, level: geometry.depth - 1, firstBlock: 0)
        }
        while let top = stack.last {
            if top.position >= top.node.entries.count {
                stack.removeLast()
                continue
            }
            let entry = top.node.entries[top.position]
            stack[stack.count - 1].position += 1
            let childSpan = geometry.span(level: top.node.level) / Int64(geometry.fanout)
            let childFirst = top.firstBlock + Int64(entry.slot) * childSpan
            guard childFirst + childSpan > range.lowerBound else { continue }
            guard childFirst < range.upperBound else {
                stack.removeAll()
                return nil
            }
            if top.node.level == 0 {
                guard childFirst < geometry.blockCount else { continue }
                return (childFirst, entry.ref)
            }
            try await push(entry.ref, level: top.node.level - 1, firstBlock: childFirst)
        }
        return nil
    }

    private mutating func push(_ ref: BlockRef, level: Int, firstBlock: Int64) async throws {
        let node = try await repository.loadNode(ref)
        nodesLoaded += 1
        guard node.level == level else {
            throw RepositoryError(
                .damagedObject,
                "tree node \(ref.id.hex) has level \(node.level) where level \(level) was expected; "
                    + "run `nimbus repo verify`"
            )
        }
        stack.append(Frame(node: node, firstBlock: firstBlock, position: 0))
    }
}
