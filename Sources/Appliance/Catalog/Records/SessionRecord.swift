import Foundation
import GRDB

/// One user-visible operation: a backup, archive, retention, verify or restore run.
public struct SessionRecord: CatalogRecord, Hashable, Identifiable {
    public static let databaseTableName = "sessions"

    /// What the session does.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case backup, archive, retention, verify, restore
    }

    /// Where the session is; every status but ``running`` is final.
    public enum Status: String, Codable, Sendable, CaseIterable {
        case running, success, warning, error, stopped
    }

    /// The session's ID.
    public var id: UUID
    /// What it does.
    public var kind: Kind
    /// The policy it runs, if any.
    public var policyID: UUID?
    /// Its status, rolled up from its tasks.
    public var status: Status
    /// When it started.
    public var started: Date
    /// When it ended.
    public var ended: Date?
    /// Why it ended as it did, for a person.
    public var reason: String?
    /// Its counters.
    public var counters: SessionCounters

    /// A session.
    public init(
        id: UUID = UUID(),
        kind: Kind,
        policyID: UUID? = nil,
        status: Status = .running,
        started: Date,
        ended: Date? = nil,
        reason: String? = nil,
        counters: SessionCounters = SessionCounters()
    ) {
        self.id = id
        self.kind = kind
        self.policyID = policyID
        self.status = status
        self.started = started
        self.ended = ended
        self.reason = reason
        self.counters = counters
    }
}

/// A session's counters (stored as JSON).
public struct SessionCounters: Codable, Sendable, Hashable {
    /// Tasks in the session.
    public var tasks: Int
    /// Tasks that ended Success.
    public var succeeded: Int
    /// Tasks that ended Warning.
    public var warnings: Int
    /// Tasks that ended Error.
    public var failed: Int
    /// Bytes read from snapshots.
    public var bytesRead: Int64
    /// Bytes stored in repositories.
    public var bytesStored: Int64

    /// Counters; zero by default.
    public init(
        tasks: Int = 0,
        succeeded: Int = 0,
        warnings: Int = 0,
        failed: Int = 0,
        bytesRead: Int64 = 0,
        bytesStored: Int64 = 0
    ) {
        self.tasks = tasks
        self.succeeded = succeeded
        self.warnings = warnings
        self.failed = failed
        self.bytesRead = bytesRead
        self.bytesStored = bytesStored
    }
}
