/// The largest object of each kind that the engine reads (docs/FORMAT.md, "Size limits").
///
/// Every read from the store passes one of these as `maxBytes`, so a damaged or hostile repository makes a
/// reader fail with a clear error instead of allocating gigabytes before authentication could fail.
enum ObjectSizeLimits {
    /// `config`: a few hundred bytes of JSON.
    static let config = 64 << 10
    /// A key object `keys/<id>`: a few hundred bytes of JSON.
    static let key = 64 << 10
    /// A lock object `locks/<id>`: a few hundred bytes of JSON.
    static let lock = 64 << 10
    /// A sealed restore point: JSON with the caller's metadata and the backup's statistics.
    static let restorePoint = 16 << 20
    /// A sealed index object: the compressed form of at most ``IndexObject/maximumPlainSize`` bytes.
    static let index = IndexObject.maximumPlainSize + (4 << 20)
    /// A stored tree node: at most 4,096 entries of 49 bytes and a hint table of 4,096 pack IDs, sealed.
    static let treeNode = 1 << 20
    /// A stored block: at most 4 MiB of plaintext, with the compression bound and the seal.
    static let block = (4 << 20) + (64 << 10)

    /// A whole pack of a repository with `config`: the target size, the block that crossed it, and a trailer
    /// that at 45 bytes per entry can approach the data's own size when the blocks compress to almost nothing.
    static func pack(_ config: RepositoryConfig) -> Int {
        2 * config.packTargetSize + 2 * config.blockSize + (1 << 20)
    }
}
