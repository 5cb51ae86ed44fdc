/// Decides whether, and after how long, a failed attempt is retried.
///
/// ``RetryMiddleware`` only consults the policy for failures that are retryable at all (see
/// ``RetryMiddleware/isRetryable(_:request:)``); the policy chooses the wait and the budget.
public protocol RetryPolicy: Sendable {
    /// The decision after `attempt` retries have already been made (0 for the first failure).
    func retryStatus(for error: AzureError, attempt: Int) -> RetryStatus
}

/// A retry decision.
public enum RetryStatus: Sendable, Equatable {
    /// Retry after waiting `wait`.
    case retry(wait: Duration)
    /// Give up and surface the error.
    case dontRetry
}

/// A retry policy choice: ``noRetry``, ``exponential(base:maxRetries:maxWait:)`` or
/// ``jitter(base:maxRetries:maxWait:random:)`` (the default).
public struct AzureRetryPolicy: Sendable {
    /// The policy.
    public let policy: any RetryPolicy

    /// Wraps a custom policy.
    public init(_ policy: any RetryPolicy) {
        self.policy = policy
    }

    /// Never retry.
    public static let noRetry = AzureRetryPolicy(NoRetryPolicy())

    /// Waits `base * 2^attempt` (capped by `maxWait`), or the service's `Retry-After` when longer.
    public static func exponential(base: Duration = .seconds(1), maxRetries: Int = 4, maxWait: Duration = .seconds(60))
        -> AzureRetryPolicy
    {
        AzureRetryPolicy(ExponentialRetryPolicy(base: base, maxRetries: maxRetries, maxWait: maxWait))
    }

    /// Waits a random time in `0..<base * 2^attempt` (full jitter, capped by `maxWait`), or the
    /// service's `Retry-After` when given. `random` returns a value in `0..<1`; tests inject it.
    public static func jitter(
        base: Duration = .seconds(1),
        maxRetries: Int = 4,
        maxWait: Duration = .seconds(60),
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }
    ) -> AzureRetryPolicy {
        AzureRetryPolicy(JitterRetryPolicy(base: base, maxRetries: maxRetries, maxWait: maxWait, random: random))
    }
}

/// A policy that never retries.
public struct NoRetryPolicy: RetryPolicy {
    /// Creates the policy.
    public init() {}

    /// The decision for the failure after `attempt` retries.
    public func retryStatus(for error: AzureError, attempt: Int) -> RetryStatus { .dontRetry }
}

/// Exponential backoff without randomness; `Retry-After` from the service wins when longer.
public struct ExponentialRetryPolicy: RetryPolicy {
    /// The first wait.
    public var base: Duration
    /// How many retries at most.
    public var maxRetries: Int
    /// The longest computed wait (a service's `Retry-After` may be longer and is honoured).
    public var maxWait: Duration

    /// Creates the policy.
    public init(base: Duration, maxRetries: Int, maxWait: Duration) {
        self.base = base
        self.maxRetries = maxRetries
        self.maxWait = maxWait
    }

    /// The decision for the failure after `attempt` retries.
    public func retryStatus(for error: AzureError, attempt: Int) -> RetryStatus {
        guard attempt < maxRetries else { return .dontRetry }
        let computed = min(base * (1 << min(attempt, 30)), maxWait)
        return .retry(wait: max(computed, error.retryAfter ?? .zero))
    }
}

/// Exponential backoff with full jitter; `Retry-After` from the service is used when present.
public struct JitterRetryPolicy: RetryPolicy {
    /// The scale of the first wait.
    public var base: Duration
    /// How many retries at most.
    public var maxRetries: Int
    /// The longest computed wait.
    public var maxWait: Duration
    /// A source of numbers in `0..<1`.
    public var random: @Sendable () -> Double

    /// Creates the policy.
    public init(base: Duration, maxRetries: Int, maxWait: Duration, random: @escaping @Sendable () -> Double) {
        self.base = base
        self.maxRetries = maxRetries
        self.maxWait = maxWait
        self.random = random
    }

    /// The decision for the failure after `attempt` retries.
    public func retryStatus(for error: AzureError, attempt: Int) -> RetryStatus {
        guard attempt < maxRetries else { return .dontRetry }
        if let retryAfter = error.retryAfter { return .retry(wait: retryAfter) }
        let ceiling = min(base * (1 << min(attempt, 30)), maxWait)
        return .retry(wait: ceiling * min(max(random(), 0), 1))
    }
}
