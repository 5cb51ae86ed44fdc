import Foundation

/// The rule that keeps garbage collection away from objects a running backup may still need.
///
/// An object (pack or index object) that no restore point references may belong to a backup that
/// has not committed its restore point yet. Garbage collection therefore never deletes or repacks
/// an object written at or after ``protectedSince(now:liveLocks:)``: the earlier of `now` minus
/// ``minimumAge`` and the creation time of the oldest live lock (minus ``clockSkew``, because lock
/// times come from the holders' clocks and object times from the store's).
public struct GarbageGrace: Sendable, Hashable {
    /// Objects younger than this are never collected. Default one hour.
    public var minimumAge: TimeInterval
    /// Allowance for clocks of hosts and store disagreeing. Default five minutes.
    public var clockSkew: TimeInterval

    /// Creates the rule.
    public init(minimumAge: TimeInterval = 3_600, clockSkew: TimeInterval = 300) {
        self.minimumAge = minimumAge
        self.clockSkew = clockSkew
    }

    /// Objects modified at or after this time are protected.
    public func protectedSince(now: Date, liveLocks: [LockRecord]) -> Date {
        var limit = now.addingTimeInterval(-minimumAge)
        if let oldest = liveLocks.map(\.created).min() {
            limit = min(limit, oldest.addingTimeInterval(-clockSkew))
        }
        return limit
    }

    /// Whether an object modified at `modified` must be left alone.
    public func protects(modified: Date, now: Date, liveLocks: [LockRecord]) -> Bool {
        modified >= protectedSince(now: now, liveLocks: liveLocks)
    }
}
