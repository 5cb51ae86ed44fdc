/// Ask a worker for a heartbeat.
public struct Ping: Sendable, Hashable, Codable {
    /// A ping.
    public init() {}
}

/// Stop a worker.
public struct Shutdown: Sendable, Hashable, Codable {
    /// Whether to let running jobs finish first (`true`) or to stop them at their next step.
    public var drain: Bool
    /// Why, for the worker's log.
    public var reason: String?

    /// A shutdown request.
    public init(drain: Bool = true, reason: String? = nil) {
        self.drain = drain
        self.reason = reason
    }
}
