import Foundation
import GRDB

/// A worker VM of a region's pool.
public struct WorkerRecord: CatalogRecord, Hashable, Identifiable {
    public static let databaseTableName = "workers"

    /// Where the worker is in its life.
    public enum State: String, Codable, Sendable, CaseIterable {
        case creating, running, idle, deallocated, deleted
    }

    /// The worker's ID (its deterministic VM name, ``ResourceNames/workerVM(region:index:)``).
    public var id: String
    /// Its region.
    public var region: String
    /// The worker VM's resource ID.
    public var vmResourceID: String
    /// Where it is.
    public var state: State
    /// The names of the queues it reads jobs from and writes replies to.
    public var queueNames: [String]
    /// The per-worker key that seals secrets in its jobs, sealed for ``SecretBinding/workerKey(_:)``.
    public var workerKey: SealedSecret
    /// When it last reported.
    public var lastHeartbeat: Date?
    /// When it was created.
    public var created: Date

    /// A worker.
    public init(
        id: String,
        region: String,
        vmResourceID: String,
        state: State = .creating,
        queueNames: [String],
        workerKey: SealedSecret,
        lastHeartbeat: Date? = nil,
        created: Date
    ) {
        self.id = id
        self.region = region
        self.vmResourceID = vmResourceID
        self.state = state
        self.queueNames = queueNames
        self.workerKey = workerKey
        self.lastHeartbeat = lastHeartbeat
        self.created = created
    }
}

extension SecretBinding {
    /// The key of the worker `id`.
    public static func workerKey(_ id: String) -> SecretBinding {
        SecretBinding(table: WorkerRecord.databaseTableName, column: "workerKey", row: id)
    }
}
