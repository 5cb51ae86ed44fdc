/// The worker took a job and starts it (or, for a job already done, answers it again).
public struct Accepted: Sendable, Hashable, Codable {
    /// How many times the queue has delivered this message, this delivery included.
    public var dequeueCount: Int
    /// The worker software's version.
    public var workerVersion: String?

    /// An acceptance.
    public init(dequeueCount: Int, workerVersion: String? = nil) {
        self.dequeueCount = dequeueCount
        self.workerVersion = workerVersion
    }
}

/// The worker is alive. It answers a ping, and beats while it runs jobs.
public struct Heartbeat: Sendable, Hashable, Codable {
    /// The jobs the worker is running now.
    public var runningJobs: [String]
    /// How many jobs it runs at once.
    public var concurrency: Int
    /// Seconds since the worker started.
    public var uptimeSeconds: Double

    /// A heartbeat.
    public init(runningJobs: [String], concurrency: Int, uptimeSeconds: Double) {
        self.runningJobs = runningJobs
        self.concurrency = concurrency
        self.uptimeSeconds = uptimeSeconds
    }
}
