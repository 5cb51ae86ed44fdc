/// Something a restore point's tree refers to, as visited by ``Repository/walk(_:lockOptions:descendInto:visit:)``.
public enum TreeItem: Sendable {
    /// A tree node at `level` (0 = leaf), visited before its children.
    case node(BlockRef, level: Int)
    /// The data block at disk block `index`.
    case block(index: Int64, BlockRef)

    /// The referenced block's identity.
    public var ref: BlockRef {
        switch self {
        case .node(let ref, _): ref
        case .block(_, let ref): ref
        }
    }
}
