/// What ``Repository/rebuildIndex(lockOptions:logger:)`` read and wrote; `Codable` for `--json`.
public struct IndexRebuildReport: Sendable, Hashable, Codable {
    /// Packs whose trailers were read.
    public var packsRead = 0
    /// Blocks listed by the new index objects.
    public var blocksIndexed = 0
    /// New index objects written.
    public var indexObjectsWritten = 0
    /// Old index objects deleted (all that existed when the rebuild started).
    public var indexObjectsDeleted = 0
    /// Packs whose trailer cannot be read: their entries are taken from the old index objects, when those
    /// list them. Run `nimbus repo verify --full` to see what they hold.
    public var unreadablePacks: [String] = []

    /// Creates an empty report.
    public init() {}
}
