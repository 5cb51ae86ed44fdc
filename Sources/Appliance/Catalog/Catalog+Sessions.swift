import Foundation
import GRDB

extension Catalog {
    /// Which sessions to list: filters and a page size.
    public struct SessionQuery: Sendable, Hashable {
        /// Only sessions with this status.
        public var status: SessionRecord.Status?
        /// Only sessions of this kind.
        public var kind: SessionRecord.Kind?
        /// Only sessions of this policy.
        public var policyID: UUID?
        /// The most sessions in one page.
        public var limit: Int

        /// A query; every session, 50 a page, by default.
        public init(
            status: SessionRecord.Status? = nil,
            kind: SessionRecord.Kind? = nil,
            policyID: UUID? = nil,
            limit: Int = 50
        ) {
            self.status = status
            self.kind = kind
            self.policyID = policyID
            self.limit = limit
        }
    }

    /// Where a page of sessions ends: the (started, id) of its last session; the next page starts after it.
    public struct SessionCursor: Sendable, Hashable, Codable {
        /// When the last session of the page started.
        public var started: Date
        /// Its ID.
        public var id: UUID

        /// A cursor after the session `id` that started at `started`.
        public init(started: Date, id: UUID) {
            self.started = started
            self.id = id
        }
    }

    /// One page of sessions and the cursor of the next (`nil` on the last page).
    public struct SessionPage: Sendable, Hashable {
        /// The sessions, newest first.
        public var sessions: [SessionRecord]
        /// Where the next page starts; `nil` when there is none.
        public var next: SessionCursor?
    }

    /// Sessions matching `query`, newest first (by start time, then ID), after `cursor`.
    ///
    /// Paging is by key, not offset: a page costs the same however deep it is, and sessions started while a
    /// client pages never make it see one twice or skip one.
    public func sessions(_ query: SessionQuery = SessionQuery(), after cursor: SessionCursor? = nil) async throws
        -> SessionPage
    {
        guard query.limit > 0 else {
            throw ApplianceError.invalidInput(
                "a page of sessions holds at least one session: give a limit of 1 or more"
            )
        }
        let request = Self.sessionsRequest(query, after: cursor)
        return try await pool.read { db in
            // One more row than asked tells whether there is a next page.
            let rows = try request.limit(query.limit + 1).fetchAll(db)
            let page = Array(rows.prefix(query.limit))
            let next = rows.count > query.limit ? page.last.map { SessionCursor(started: $0.started, id: $0.id) } : nil
            return SessionPage(sessions: page, next: next)
        }
    }

    /// The request of ``sessions(_:after:)``, newest first, without its limit.
    static func sessionsRequest(_ query: SessionQuery, after cursor: SessionCursor?) -> QueryInterfaceRequest<
        SessionRecord
    > {
        var request = SessionRecord.all()
        if let status = query.status { request = request.filter(Column("status") == status.rawValue) }
        if let kind = query.kind { request = request.filter(Column("kind") == kind.rawValue) }
        if let policyID = query.policyID { request = request.filter(Column("policyID") == policyID) }
        if let cursor {
            // Row values compare as tuples: (started, id) < (cursor.started, cursor.id).
            request = request.filter(sql: "(started, id) < (?, ?)", arguments: [cursor.started, cursor.id])
        }
        return request.order(Column("started").desc, Column("id").desc)
    }

    /// The request of ``restorePoints(vm:limit:)``, newest first, without its limit.
    static func restorePointsRequest(vm: String) -> QueryInterfaceRequest<TaskRecord> {
        TaskRecord.filter(Column("vmResourceID") == vm && Column("restorePointID") != nil)
            .order(Column("ended").desc)
    }

    /// The tasks of `session`, by VM.
    public func tasks(session: UUID) async throws -> [TaskRecord] {
        try await pool.read { db in
            try TaskRecord.filter(Column("sessionID") == session).order(Column("vmResourceID")).fetchAll(db)
        }
    }

    /// The tasks that made restore points of `vm`, newest first: the VM's restore points as the catalog knows
    /// them.
    public func restorePoints(vm: String, limit: Int = 100) async throws -> [TaskRecord] {
        try await pool.read { db in
            try Self.restorePointsRequest(vm: vm).limit(limit).fetchAll(db)
        }
    }

    /// The cloud-native snapshots of `vm`, newest first.
    public func snapshots(vm: String) async throws -> [NativeSnapshotRecord] {
        try await pool.read { db in
            try NativeSnapshotRecord.filter(Column("vmResourceID") == vm).order(Column("created").desc).fetchAll(db)
        }
    }

    /// The workers of `region`, in any of `states` (every state when empty), by ID.
    public func workers(region: String, states: Set<WorkerRecord.State> = []) async throws -> [WorkerRecord] {
        try await pool.read { db in
            var request = WorkerRecord.filter(Column("region") == region)
            if !states.isEmpty { request = request.filter(states.map(\.rawValue).contains(Column("state"))) }
            return try request.order(Column("id")).fetchAll(db)
        }
    }
}
