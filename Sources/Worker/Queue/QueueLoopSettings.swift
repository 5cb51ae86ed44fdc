/// How the queue loop receives jobs.
public struct QueueLoopSettings: Sendable {
    /// The queue jobs arrive on.
    public var jobQueue: String
    /// The queue poisoned messages are moved to.
    public var poisonQueue: String
    /// How long a received message stays invisible to others; it is renewed at half of it.
    public var visibilityTimeout: Duration
    /// A message received more often than this is poisoned instead of run again.
    public var maxDequeueCount: Int
    /// How long to wait before asking again when the queue is empty.
    public var pollInterval: Duration
    /// How many jobs run at once.
    public var concurrentJobs: Int

    /// Creates settings; jobs run one at a time by default.
    public init(
        jobQueue: String,
        poisonQueue: String,
        visibilityTimeout: Duration = .seconds(60),
        maxDequeueCount: Int = 5,
        pollInterval: Duration = .seconds(1),
        concurrentJobs: Int = 1
    ) {
        self.jobQueue = jobQueue
        self.poisonQueue = poisonQueue
        self.visibilityTimeout = visibilityTimeout
        self.maxDequeueCount = maxDequeueCount
        self.pollInterval = pollInterval
        self.concurrentJobs = concurrentJobs
    }
}
