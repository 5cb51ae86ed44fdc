/// Settings of ``Repository/copy(restorePoints:to:options:)``.
public struct CopyOptions: Sendable {
    /// Memory for the block tables of one pass, in bytes. Blocks are handled in groups by ID so that one group's
    /// index entries of both repositories fit; more groups mean more passes over the trees. Default 256 MiB.
    public var memoryBudget: Int = 256 << 20
    /// The largest ranged read of a source pack, in bytes: neighbouring blocks are read together up to this.
    public var readRunBytes: Int = 16 << 20
    /// Lock settings of both repositories (both are locked shared).
    public var lock: LockOptions = LockOptions()

    /// The defaults.
    public init() {}
}
