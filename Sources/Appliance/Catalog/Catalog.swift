import BackupRepository
import Foundation
import GRDB

/// The appliance's catalog: one SQLite file (`DIR/catalog.sqlite`, WAL) of accounts, inventory, repositories,
/// policies, sessions with their tasks, journals and logs, workers, cloud-native snapshots and API tokens.
///
/// Every query runs through GRDB's async API, on GRDB's own dispatch queues, never on the cooperative pool;
/// opening the file (and migrating it) runs on the ``FileIOPool``. Secrets are stored sealed
/// (``SealedSecret``); the catalog never sees a plaintext.
public final class Catalog: Sendable {
    /// The catalog file's name inside the appliance's data folder.
    public static let fileName = "catalog.sqlite"

    /// The file.
    public let path: String
    /// The migrations this open applied, oldest first (empty when the file was up to date).
    public let appliedMigrations: [String]
    let pool: DatabasePool

    private init(path: String, pool: DatabasePool, appliedMigrations: [String]) {
        self.path = path
        self.pool = pool
        self.appliedMigrations = appliedMigrations
    }

    /// Opens (or creates) the catalog file at `path` and applies the migrations it lacks.
    /// - Throws: ``ApplianceError/conflict(_:)`` when a newer Nimbus wrote the file (naming the file and both
    ///   versions); ``ApplianceError/corrupt(_:)`` when it is not a catalog.
    public static func open(path: String, io: FileIOPool = .shared) async throws -> Catalog {
        try await io.run { try openBlocking(path: path) }
    }

    /// Opens the catalog of the data folder `directory` (``fileName`` inside it).
    public static func open(directory: String, io: FileIOPool = .shared) async throws -> Catalog {
        try await open(path: (directory as NSString).appendingPathComponent(fileName), io: io)
    }

    private static func openBlocking(path: String) throws -> Catalog {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(30)
        configuration.label = "nimbus-catalog"
        let migrator = CatalogSchema.migrator
        do {
            let pool = try DatabasePool(path: path, configuration: configuration)
            let applied = try pool.read { db in try migrator.appliedIdentifiers(db) }
            let known = migrator.migrations
            let unknown = applied.subtracting(known)
            guard unknown.isEmpty else {
                throw ApplianceError.conflict(
                    "the catalog \(path) was written by a newer Nimbus (its schema has \(describe(applied))); "
                        + "this version knows \(describe(Set(known))): run a Nimbus at least as new as the one "
                        + "that wrote it"
                )
            }
            try migrator.migrate(pool)
            return Catalog(path: path, pool: pool, appliedMigrations: known.filter { !applied.contains($0) })
        } catch let error as DatabaseError
            where error.resultCode == .SQLITE_NOTADB || error.resultCode == .SQLITE_CORRUPT
        {
            throw ApplianceError.corrupt(
                "the catalog \(path) is not a SQLite database or is damaged: restore it from a backup, or rebuild "
                    + "it with a rescan of the repositories"
            )
        }
    }

    private static func describe(_ versions: Set<String>) -> String {
        versions.sorted { $0.compare($1, options: .numeric) == .orderedAscending }.joined(separator: ", ")
    }

    // MARK: Records

    /// Inserts a new row.
    /// - Throws: ``ApplianceError/conflict(_:)`` when its key or a unique name is taken.
    public func insert(_ record: some CatalogRecord) async throws {
        try await write { db in try record.insert(db) }
    }

    /// Inserts new rows in one transaction: all of them or none.
    public func insert<RecordType: CatalogRecord>(contentsOf records: [RecordType]) async throws {
        try await write { db in
            for record in records { try record.insert(db) }
        }
    }

    /// Updates an existing row (every column).
    /// - Throws: ``ApplianceError/notFound(_:)`` when there is no such row.
    public func update(_ record: some CatalogRecord) async throws {
        try await write { db in try record.update(db) }
    }

    /// Inserts the row, or updates it when its key exists.
    public func save(_ record: some CatalogRecord) async throws {
        try await write { db in try record.save(db) }
    }

    /// The row of `type` whose primary key is `key`, if there is one.
    public func record<RecordType: CatalogRecord>(
        _ type: RecordType.Type,
        key: some DatabaseValueConvertible & Sendable
    ) async throws -> RecordType? {
        try await pool.read { db in try RecordType.fetchOne(db, key: key) }
    }

    /// Deletes the row of `type` whose primary key is `key`; returns whether there was one.
    @discardableResult
    public func delete<RecordType: CatalogRecord>(
        _ type: RecordType.Type,
        key: some DatabaseValueConvertible & Sendable
    ) async throws -> Bool {
        try await write { db in try RecordType.deleteOne(db, key: key) }
    }

    /// Every row of `type` (for the small tables: accounts, repositories, policies, tokens).
    public func all<RecordType: CatalogRecord>(_ type: RecordType.Type) async throws -> [RecordType] {
        try await pool.read { db in try RecordType.fetchAll(db) }
    }

    /// Runs `updates` in a write transaction, turning constraint and missing-row failures into
    /// ``ApplianceError``s that name the table.
    func write<T: Sendable>(_ updates: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.write(updates)
        } catch let error as RecordError {
            if case .recordNotFound(let table, let key) = error {
                let described = key.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                throw ApplianceError.notFound("the catalog has no row of \(table) with \(described)")
            }
            throw error
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw ApplianceError.conflict("the catalog refused the change: \(error.message ?? "a constraint failed")")
        }
    }
}
