import Foundation

/// How repository locks are identified, refreshed, waited for and judged stale.
public struct LockOptions: Sendable {
    /// A lock not refreshed for this long is stale: it no longer blocks anyone and
    /// ``RepositoryLocks/removeStale(logger:)`` deletes it. Default 30 minutes.
    public var staleAfter: Duration = .seconds(30 * 60)
    /// How often a held lock is refreshed. Default 5 minutes (a sixth of ``staleAfter``).
    public var refreshInterval: Duration = .seconds(5 * 60)
    /// How long ``RepositoryLocks/acquire(_:purpose:logger:)`` keeps retrying while another
    /// live lock conflicts. Default zero: fail at once.
    public var waitTimeout: Duration = .zero
    /// The pause after the first failed attempt while waiting; it doubles after each further one, up to eight
    /// times this (each randomised by ±50% so that two waiters do not collide forever). Default 2 seconds.
    public var retryInterval: Duration = .seconds(2)
    /// The user or program recorded as holder.
    public var holder: String = ProcessInfo.processInfo.processName
    /// The host name recorded in the lock; locks of this host whose process is gone are stale at once.
    public var host: String = ProcessInfo.processInfo.hostName
    /// The process ID recorded in the lock.
    public var pid: Int32 = ProcessInfo.processInfo.processIdentifier
    /// The clock; replaced in tests.
    public var now: @Sendable () -> Date = { Date() }

    /// Creates the default options.
    public init() {}
}
