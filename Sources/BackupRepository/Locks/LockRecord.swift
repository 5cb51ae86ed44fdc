import Foundation

/// The contents of one lock object, `locks/<id>`: who holds it, for what, and since when.
///
/// Stored as JSON (see docs/FORMAT.md, "Locks, garbage collection and crash safety"). Lock objects
/// are never encrypted: they carry no repository data and must be readable by `unlock` without a key.
public struct LockRecord: Sendable, Hashable, Codable {
    /// Shared locks (backups, restores, verify) coexist; an exclusive lock (prune) excludes every other lock.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// Taken by operations that add data or only read: any number may be held at once.
        case shared
        /// Taken by operations that delete data: held alone.
        case exclusive
    }

    /// The lock's ID: 32 lowercase hexadecimal digits, random.
    public var id: String
    /// Shared or exclusive.
    public var kind: Kind
    /// What the holder is doing, for people reading `nimbus repo locks`: `backup`, `prune`, …
    public var purpose: String
    /// The user or program holding the lock.
    public var holder: String
    /// The host name of the holder.
    public var host: String
    /// The holder's process ID on ``host``.
    public var pid: Int32
    /// When the lock was taken (holder's clock).
    public var created: Date
    /// When the holder last confirmed it is alive (holder's clock).
    public var refreshed: Date

    /// Creates a record.
    public init(
        id: String,
        kind: Kind,
        purpose: String,
        holder: String,
        host: String,
        pid: Int32,
        created: Date,
        refreshed: Date
    ) {
        self.id = id
        self.kind = kind
        self.purpose = purpose
        self.holder = holder
        self.host = host
        self.pid = pid
        self.created = created
        self.refreshed = refreshed
    }

    /// The object key of the lock: `locks/<id>`.
    public var key: String { LockRecord.prefix + id }

    /// The prefix under which every lock object lives.
    public static let prefix = "locks/"

    /// Whether two locks may be held at the same time.
    public func isCompatible(with other: LockRecord) -> Bool {
        kind == .shared && other.kind == .shared
    }
}
