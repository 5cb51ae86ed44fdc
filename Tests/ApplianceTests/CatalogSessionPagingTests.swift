import Foundation
import Testing

@testable import Appliance

@Suite struct CatalogSessionPagingTests {
    /// Reads every page of `query` and returns the sessions in the order the pages gave them.
    private func allPages(_ catalog: Catalog, _ query: Catalog.SessionQuery) async throws -> [SessionRecord] {
        var sessions: [SessionRecord] = []
        var cursor: Catalog.SessionCursor?
        repeat {
            let page = try await catalog.sessions(query, after: cursor)
            #expect(page.sessions.count <= query.limit)
            sessions += page.sessions
            cursor = page.next
        } while cursor != nil
        return sessions
    }

    @Test func pagingOverAThousandSessionsReturnsEachOnceNewestFirst() async throws {
        let folder = try CatalogTestFolder()
        defer { folder.remove() }
        let catalog = try await folder.catalog()
        let repository = RepositoryRecord(
            name: "r",
            kind: .backup,
            localPath: "/r",
            password: SealedSecret(base64: "AA=="),
            created: CatalogTestTime.at(0)
        )
        try await catalog.insert(repository)
        let policy = PolicyRecord(
            name: "p",
            targets: PolicyTargets(include: [.subscription("sub-1")]),
            schedule: PolicySchedule(rules: [.daily(at: [try TimeOfDay(hour: 0)])]),
            backupRetention: BackupRetention(days: 7),
            repositoryID: repository.id,
            created: CatalogTestTime.at(0)
        )
        try await catalog.insert(policy)
        // Three sessions start in each second, so the ID has to break ties.
        let statuses = SessionRecord.Status.allCases
        let sessions = (0..<1000).map { index in
            SessionRecord(
                kind: index % 2 == 0 ? .backup : .archive,
                policyID: index % 3 == 0 ? policy.id : nil,
                status: statuses[index % statuses.count],
                started: CatalogTestTime.at(index / 3)
            )
        }
        try await catalog.insert(contentsOf: sessions)

        let listed = try await allPages(catalog, Catalog.SessionQuery(limit: 37))
        #expect(listed.count == 1000)
        #expect(Set(listed.map(\.id)) == Set(sessions.map(\.id)))
        let ordered = zip(listed, listed.dropFirst()).allSatisfy { newer, older in
            newer.started > older.started || (newer.started == older.started && uuidPrecedes(older.id, newer.id))
        }
        #expect(ordered)

        let errors = try await allPages(catalog, Catalog.SessionQuery(status: .error, limit: 16))
        #expect(errors.count == sessions.filter { $0.status == .error }.count)
        #expect(errors.allSatisfy { $0.status == .error })
        let archives = try await allPages(catalog, Catalog.SessionQuery(kind: .archive, limit: 100))
        #expect(archives.count == 500)
        let ofPolicy = try await allPages(catalog, Catalog.SessionQuery(kind: .backup, policyID: policy.id, limit: 50))
        #expect(
            Set(ofPolicy.map(\.id)) == Set(sessions.filter { $0.policyID == policy.id && $0.kind == .backup }.map(\.id))
        )

        let last = try await catalog.sessions(Catalog.SessionQuery(limit: 1000))
        #expect(last.sessions.count == 1000)
        #expect(last.next == nil)
        #expect(try await catalog.counts().sessions.values.reduce(0, +) == 1000)
    }

    @Test func aPageOfNoSessionsIsRefused() async throws {
        let folder = try CatalogTestFolder()
        defer { folder.remove() }
        let catalog = try await folder.catalog()
        await #expect(throws: ApplianceError.self) {
            _ = try await catalog.sessions(Catalog.SessionQuery(limit: 0))
        }
    }
}
