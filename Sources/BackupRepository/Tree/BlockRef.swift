/// A reference from a tree node to a data block or child node: its identity and, when known, where it was
/// stored at the time (a hint; the index is authoritative when the hinted pack no longer holds it).
public struct BlockRef: Hashable, Sendable {
    /// The referenced block's identity.
    public var id: BlockID
    /// The length of the block's plaintext.
    public var rawLength: UInt32
    /// Where the block was stored when the reference was written, if known.
    public var hint: BlockLocation?

    /// Creates a reference.
    public init(id: BlockID, rawLength: UInt32, hint: BlockLocation?) {
        self.id = id
        self.rawLength = rawLength
        self.hint = hint
    }
}
