/// How much a repository holds and how much space it takes (``Repository/statistics()``).
public struct RepositoryStatistics: Sendable, Hashable, Codable {
    /// The number of restore points.
    public var restorePoints: Int
    /// The sum of the restore points' disk sizes.
    public var logicalBytes: Int64
    /// The number of pack objects.
    public var packs: Int
    /// The bytes in pack objects.
    public var packBytes: Int64
    /// The number of objects of every kind.
    public var objects: Int
    /// The bytes in objects of every kind.
    public var storedBytes: Int64

    /// Creates statistics.
    public init(restorePoints: Int, logicalBytes: Int64, packs: Int, packBytes: Int64, objects: Int, storedBytes: Int64)
    {
        self.restorePoints = restorePoints
        self.logicalBytes = logicalBytes
        self.packs = packs
        self.packBytes = packBytes
        self.objects = objects
        self.storedBytes = storedBytes
    }

    /// Disk bytes per stored byte, after deduplication, compression and zero blocks; `nil` when the
    /// restore points hold no bytes.
    public var reduction: Double? {
        logicalBytes > 0 ? Double(logicalBytes) / Double(max(storedBytes, 1)) : nil
    }
}
