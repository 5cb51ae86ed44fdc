/// One block stored in a pack, as listed by the pack's trailer and by index objects.
public struct PackEntry: Hashable, Sendable {
    /// The block's identity.
    public var id: BlockID
    /// Byte offset of the sealed block in the pack.
    public var offset: UInt32
    /// Length of the sealed block in the pack.
    public var storedLength: UInt32
    /// Length of the block's plaintext.
    public var rawLength: UInt32
    /// How it is encoded and what it holds.
    public var flags: BlockFlags

    /// Creates an entry.
    public init(id: BlockID, offset: UInt32, storedLength: UInt32, rawLength: UInt32, flags: BlockFlags) {
        self.id = id
        self.offset = offset
        self.storedLength = storedLength
        self.rawLength = rawLength
        self.flags = flags
    }
}

/// Where a block lives: a pack and its entry there.
public struct BlockLocation: Hashable, Sendable {
    /// The pack holding the block.
    public var pack: PackID
    /// The block's entry in that pack.
    public var entry: PackEntry

    /// Creates a location.
    public init(pack: PackID, entry: PackEntry) {
        self.pack = pack
        self.entry = entry
    }
}
