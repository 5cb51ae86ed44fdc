/// How a ``SnapshotDiskSource`` reads: parallelism, retries of interrupted bodies, and listing page size.
public struct SnapshotReadOptions: Sendable {
    /// The most ranged GETs in flight at once (each holds at most one engine block in memory).
    public var maxConcurrentReads: Int
    /// How many times one range is requested when its body is cut short, fails its MD5 or the connection drops
    /// (on top of the retries of AzureKit's pipeline, which cover failed answers before a body starts).
    public var maxAttempts: Int
    /// The first wait between two attempts at one range; it doubles with each attempt.
    public var retryBase: Duration
    /// At most this many ranges per Get Page Ranges page (`nil`: the service's default).
    public var pageListSize: Int?

    /// Creates options; the defaults suit a worker VM.
    public init(
        maxConcurrentReads: Int = 16,
        maxAttempts: Int = 5,
        retryBase: Duration = .milliseconds(200),
        pageListSize: Int? = nil
    ) {
        self.maxConcurrentReads = maxConcurrentReads
        self.maxAttempts = maxAttempts
        self.retryBase = retryBase
        self.pageListSize = pageListSize
    }
}
