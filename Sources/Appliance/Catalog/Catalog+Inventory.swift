import Foundation
import GRDB

extension Catalog {
    /// Stores what a refresh found of a VM and its disks: the VM row is inserted or updated (keeping its
    /// ``InventoryVMRecord/firstSeen``), and its disks replace the ones stored before.
    public func recordSeen(_ vm: InventoryVMRecord, disks: [VMDiskRecord]) async throws {
        try await write { db in
            var row = vm
            if let stored = try InventoryVMRecord.fetchOne(db, key: vm.resourceID) {
                row.firstSeen = stored.firstSeen
            }
            row.deleted = false
            try row.save(db)
            try VMDiskRecord.filter(Column("vmResourceID") == vm.resourceID).deleteAll(db)
            for var disk in disks {
                disk.vmResourceID = vm.resourceID
                try disk.insert(db)
            }
        }
    }

    /// Marks every VM of `accountID` not seen since `time` as deleted; returns how many were marked.
    @discardableResult
    public func markDeleted(account accountID: UUID, notSeenSince time: Date) async throws -> Int {
        try await write { db in
            try InventoryVMRecord.filter(
                Column("accountID") == accountID && Column("lastSeen") < time && Column("deleted") == false
            ).updateAll(db, Column("deleted").set(to: true))
        }
    }

    /// The inventory's VMs by name (deleted ones too when `includingDeleted`).
    public func vms(includingDeleted: Bool = false) async throws -> [InventoryVMRecord] {
        try await pool.read { db in
            var request = InventoryVMRecord.all()
            if !includingDeleted { request = request.filter(Column("deleted") == false) }
            return try request.order(Column("name"), Column("resourceID")).fetchAll(db)
        }
    }

    /// The disks of `vm`, OS disk first, then by LUN.
    public func disks(vm: String) async throws -> [VMDiskRecord] {
        let disks = try await pool.read { db in
            try VMDiskRecord.filter(Column("vmResourceID") == vm).fetchAll(db)
        }
        return disks.sorted { $0.slot < $1.slot }
    }

    /// The token record matching `token` (by its hash), unless it was revoked.
    public func activeToken(_ token: String) async throws -> APITokenRecord? {
        let hash = APITokenRecord.hash(of: token)
        return try await pool.read { db in
            try APITokenRecord.filter(Column("tokenHash") == hash && Column("revoked") == nil).fetchOne(db)
        }
    }

    /// How much the catalog holds: what `nimbus appliance status` prints.
    public struct Counts: Sendable, Hashable, Codable {
        /// Cloud accounts.
        public var accounts: Int
        /// VMs in the inventory, not deleted.
        public var vms: Int
        /// VMs the inventory no longer finds.
        public var deletedVMs: Int
        /// Policies.
        public var policies: Int
        /// Repositories.
        public var repositories: Int
        /// Sessions by status (every status, zero included).
        public var sessions: [String: Int]
    }

    /// Counts of the catalog's main tables.
    public func counts() async throws -> Counts {
        try await pool.read { db in
            var sessions = Dictionary(uniqueKeysWithValues: SessionRecord.Status.allCases.map { ($0.rawValue, 0) })
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT status, COUNT(*) AS count FROM \(SessionRecord.databaseTableName) GROUP BY status"
            )
            for row in rows {
                let status: String = row["status"]
                sessions[status, default: 0] += row["count"] as Int
            }
            return Counts(
                accounts: try AccountRecord.fetchCount(db),
                vms: try InventoryVMRecord.filter(Column("deleted") == false).fetchCount(db),
                deletedVMs: try InventoryVMRecord.filter(Column("deleted") == true).fetchCount(db),
                policies: try PolicyRecord.fetchCount(db),
                repositories: try RepositoryRecord.fetchCount(db),
                sessions: sessions
            )
        }
    }
}
