import GRDB

/// The catalog's schema as named migrations, applied in order; each runs once per catalog file.
enum CatalogSchema {
    /// The migrations, oldest first.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1", migrate: v1)
        return migrator
    }

    /// The identifiers this version knows, oldest first.
    static var knownVersions: [String] { migrator.migrations }

    /// The first schema: every table of the appliance, with the indexes of the runner's and the API's queries.
    private static func v1(_ db: Database) throws {
        try db.create(table: AccountRecord.databaseTableName) { table in
            table.primaryKey("id", .blob)
            table.column("name", .text).notNull().unique()
            table.column("kind", .text).notNull()
            table.column("tenantID", .text)
            table.column("clientID", .text)
            table.column("clientSecret", .text)
            table.column("usesManagedIdentity", .boolean).notNull().defaults(to: false)
            table.column("subscriptions", .jsonText).notNull()
            table.column("endpointsFile", .text)
            table.column("created", .datetime).notNull()
        }
        try db.create(table: InventoryVMRecord.databaseTableName) { table in
            table.primaryKey("resourceID", .text).collate(.nocase)
            table.column("accountID", .blob).references(AccountRecord.databaseTableName, onDelete: .setNull)
            table.column("name", .text).notNull()
            table.column("subscriptionID", .text).notNull()
            table.column("resourceGroup", .text).notNull()
            table.column("region", .text).notNull()
            table.column("size", .text).notNull()
            table.column("osType", .text).notNull()
            table.column("tags", .jsonText).notNull()
            table.column("deleted", .boolean).notNull().defaults(to: false)
            table.column("firstSeen", .datetime).notNull()
            table.column("lastSeen", .datetime).notNull()
        }
        try db.create(index: "vms_region", on: InventoryVMRecord.databaseTableName, columns: ["region", "deleted"])
        try db.create(table: VMDiskRecord.databaseTableName) { table in
            table.column("vmResourceID", .text).notNull().collate(.nocase)
                .references(InventoryVMRecord.databaseTableName, onDelete: .cascade)
            table.column("slot", .text).notNull()
            table.column("diskID", .text).notNull()
            table.column("sizeBytes", .integer).notNull()
            table.column("sku", .text).notNull()
            table.primaryKey(["vmResourceID", "slot"])
        }
        try db.create(table: RepositoryRecord.databaseTableName) { table in
            table.primaryKey("id", .blob)
            table.column("name", .text).notNull().unique()
            table.column("kind", .text).notNull()
            table.column("containerURL", .text)
            table.column("prefix", .text)
            table.column("localPath", .text)
            table.column("region", .text)
            table.column("password", .text).notNull()
            table.column("credential", .text)
            table.column("linkedTo", .blob).references(RepositoryRecord.databaseTableName, onDelete: .restrict)
            table.column("created", .datetime).notNull()
        }
        try db.create(table: PolicyRecord.databaseTableName) { table in
            table.primaryKey("id", .blob)
            table.column("name", .text).notNull().unique()
            table.column("enabled", .boolean).notNull()
            table.column("targets", .jsonText).notNull()
            table.column("schedule", .jsonText).notNull()
            table.column("snapshotRetention", .integer).notNull().check { $0 >= 1 }
            table.column("backupRetention", .jsonText).notNull()
            table.column("repositoryID", .blob).notNull()
                .references(RepositoryRecord.databaseTableName, onDelete: .restrict)
            table.column("archiveRepositoryID", .blob)
                .references(RepositoryRecord.databaseTableName, onDelete: .restrict)
            table.column("archiveSchedule", .jsonText)
            table.column("archiveRetention", .jsonText)
            table.column("priority", .integer).notNull()
            table.column("maxWorkersPerRegion", .integer).notNull().check { $0 >= 1 }
            table.column("created", .datetime).notNull()
        }
        try db.create(table: SessionRecord.databaseTableName) { table in
            table.primaryKey("id", .blob)
            table.column("kind", .text).notNull()
            table.column("policyID", .blob).references(PolicyRecord.databaseTableName, onDelete: .setNull)
            table.column("status", .text).notNull()
            table.column("started", .datetime).notNull()
            table.column("ended", .datetime)
            table.column("reason", .text)
            table.column("counters", .jsonText).notNull()
        }
        // The session list pages by (started, id), newest first, optionally within a status, kind or policy.
        let sessions = SessionRecord.databaseTableName
        try db.create(index: "sessions_started", on: sessions, columns: ["started", "id"])
        try db.create(index: "sessions_status", on: sessions, columns: ["status", "started", "id"])
        try db.create(index: "sessions_kind", on: sessions, columns: ["kind", "started", "id"])
        try db.create(index: "sessions_policy", on: sessions, columns: ["policyID", "started", "id"])
        try db.create(table: TaskRecord.databaseTableName) { table in
            table.primaryKey("id", .blob)
            table.column("sessionID", .blob).notNull().references(sessions, onDelete: .cascade)
            table.column("vmResourceID", .text).notNull().collate(.nocase)
            table.column("status", .text).notNull()
            table.column("attempt", .integer).notNull().check { $0 >= 1 }
            table.column("bytesRead", .integer).notNull()
            table.column("bytesProcessed", .integer).notNull()
            table.column("bytesStored", .integer).notNull()
            table.column("rate", .double).notNull()
            table.column("restorePointID", .text)
            table.column("reason", .text)
            table.column("started", .datetime)
            table.column("ended", .datetime)
        }
        try db.create(index: "tasks_session", on: TaskRecord.databaseTableName, columns: ["sessionID", "vmResourceID"])
        try db.create(index: "tasks_vm", on: TaskRecord.databaseTableName, columns: ["vmResourceID", "ended"])
        try db.create(table: TaskStepRecord.databaseTableName) { table in
            table.column("taskID", .blob).notNull().references(TaskRecord.databaseTableName, onDelete: .cascade)
            table.column("step", .text).notNull()
            table.column("sequence", .integer).notNull()
            table.column("state", .text).notNull()
            table.column("resources", .jsonText).notNull()
            table.column("started", .datetime).notNull()
            table.column("ended", .datetime)
            table.column("error", .text)
            table.primaryKey(["taskID", "step"])
            table.uniqueKey(["taskID", "sequence"])
        }
        try db.create(table: TaskLogLine.databaseTableName) { table in
            table.autoIncrementedPrimaryKey("id")
            table.column("taskID", .blob).notNull().references(TaskRecord.databaseTableName, onDelete: .cascade)
            table.column("time", .datetime).notNull()
            table.column("level", .text).notNull()
            table.column("message", .text).notNull()
        }
        try db.create(index: "taskLogs_task", on: TaskLogLine.databaseTableName, columns: ["taskID", "id"])
        try db.create(table: WorkerRecord.databaseTableName) { table in
            table.primaryKey("id", .text)
            table.column("region", .text).notNull()
            table.column("vmResourceID", .text).notNull().collate(.nocase)
            table.column("state", .text).notNull()
            table.column("queueNames", .jsonText).notNull()
            table.column("workerKey", .text).notNull()
            table.column("lastHeartbeat", .datetime)
            table.column("created", .datetime).notNull()
        }
        try db.create(index: "workers_region", on: WorkerRecord.databaseTableName, columns: ["region", "state"])
        try db.create(table: NativeSnapshotRecord.databaseTableName) { table in
            table.primaryKey("id", .blob)
            table.column("vmResourceID", .text).notNull().collate(.nocase)
            table.column("sessionID", .blob).references(sessions, onDelete: .setNull)
            table.column("created", .datetime).notNull()
            table.column("diskSnapshots", .jsonText).notNull()
            table.column("kept", .boolean).notNull()
        }
        try db.create(
            index: "nativeSnapshots_vm",
            on: NativeSnapshotRecord.databaseTableName,
            columns: ["vmResourceID", "created"]
        )
        try db.create(table: SettingRecord.databaseTableName) { table in
            table.primaryKey("name", .text)
            table.column("value", .text)
            table.column("secret", .text)
            table.column("updated", .datetime).notNull()
        }
        try db.create(table: APITokenRecord.databaseTableName) { table in
            table.primaryKey("id", .blob)
            table.column("name", .text).notNull().unique()
            table.column("role", .text).notNull()
            table.column("tokenHash", .text).notNull().unique()
            table.column("created", .datetime).notNull()
            table.column("revoked", .datetime)
        }
    }
}
