import Foundation

/// A lock found in the repository, and whether it still counts.
public struct LockStatus: Sendable, Hashable {
    /// The lock object's key.
    public var key: String
    /// Its contents, or `nil` when the object could not be decoded.
    public var record: LockRecord?
    /// When the store last wrote the object.
    public var modified: Date
    /// `true` when the lock no longer blocks anyone: not refreshed within the stale limit, or
    /// held by a process of this host that no longer exists.
    public var isStale: Bool

    /// Creates a status.
    public init(key: String, record: LockRecord?, modified: Date, isStale: Bool) {
        self.key = key
        self.record = record
        self.modified = modified
        self.isStale = isStale
    }
}
