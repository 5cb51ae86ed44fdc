import Foundation
import GRDB
import Testing

@testable import Appliance

@Suite struct CatalogMigrationTests {
    @Test func aNewCatalogRunsV1InWALModeAndASecondOpenRunsNothing() async throws {
        let folder = try CatalogTestFolder()
        defer { folder.remove() }
        let first = try await folder.catalog()
        #expect(first.appliedMigrations == ["v1"])
        #expect(first.path == folder.file("catalog.sqlite"))
        let mode = try await first.pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
        let account = AccountRecord(name: "lab", kind: .localcloud, endpointsFile: "/e.json", created: .now)
        try await first.insert(account)

        let second = try await folder.catalog()
        #expect(second.appliedMigrations.isEmpty)
        #expect(try await second.record(AccountRecord.self, key: account.id)?.name == "lab")
    }

    @Test func aCatalogWrittenByANewerVersionIsRefusedNamingTheFileAndBothVersions() async throws {
        let folder = try CatalogTestFolder()
        defer { folder.remove() }
        let catalog = try await folder.catalog()
        try await catalog.pool.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v2')")
        }
        do {
            _ = try await folder.catalog()
            Issue.record("a catalog with an unknown migration opened")
        } catch let error as ApplianceError {
            guard case .conflict(let message) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(message.contains(folder.file("catalog.sqlite")))
            #expect(message.contains("v1, v2"))
            #expect(message.contains("knows v1"))
            #expect(message.contains("newer Nimbus"))
        }
    }

    @Test func aFileThatIsNotACatalogIsReportedAsDamaged() async throws {
        let folder = try CatalogTestFolder()
        defer { folder.remove() }
        let path = folder.file("catalog.sqlite")
        try Data(repeating: 0x42, count: 8192).write(to: URL(fileURLWithPath: path))
        await #expect {
            _ = try await Catalog.open(path: path)
        } throws: { error in
            guard let error = error as? ApplianceError, case .corrupt(let message) = error else { return false }
            return message.contains(path) && message.contains("not a SQLite database")
        }
    }
}
