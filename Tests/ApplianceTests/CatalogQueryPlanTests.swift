import Foundation
import GRDB
import Testing

@testable import Appliance

/// The session list and the per-VM restore points read an index in order: their cost does not grow with the
/// number of sessions (no full scan, no sort of the whole table).
@Suite struct CatalogQueryPlanTests {
    /// SQLite's plan of `request`, one detail per line.
    private func plan<RecordType>(_ catalog: Catalog, _ request: QueryInterfaceRequest<RecordType>) async throws
        -> [String]
    {
        try await catalog.pool.read { db in
            let statement = try request.limit(50).makePreparedRequest(db).statement
            return try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + statement.sql, arguments: statement.arguments)
                .map { $0["detail"] as String }
        }
    }

    @Test(arguments: [
        Catalog.SessionQuery(),
        Catalog.SessionQuery(status: .error),
        Catalog.SessionQuery(kind: .archive),
        Catalog.SessionQuery(policyID: UUID()),
    ])
    func everySessionListReadsAnIndexInOrder(_ query: Catalog.SessionQuery) async throws {
        let folder = try CatalogTestFolder()
        defer { folder.remove() }
        let catalog = try await folder.catalog()
        for cursor in [nil, Catalog.SessionCursor(started: CatalogTestTime.at(0), id: UUID())] {
            let details = try await plan(catalog, Catalog.sessionsRequest(query, after: cursor))
            #expect(details.contains { $0.contains("USING INDEX sessions_") }, "\(details)")
            #expect(!details.contains { $0.contains("TEMP B-TREE") }, "\(details)")
        }
    }

    @Test func theRestorePointsOfAVMReadItsIndexInOrder() async throws {
        let folder = try CatalogTestFolder()
        defer { folder.remove() }
        let catalog = try await folder.catalog()
        let details = try await plan(catalog, Catalog.restorePointsRequest(vm: "/vm/a"))
        #expect(details.contains { $0.contains("USING INDEX tasks_vm") }, "\(details)")
        #expect(!details.contains { $0.contains("TEMP B-TREE") }, "\(details)")
    }
}
