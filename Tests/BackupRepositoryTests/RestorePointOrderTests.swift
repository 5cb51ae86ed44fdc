import Foundation
import Testing

@testable import BackupRepository

@Suite struct RestorePointOrderTests {
    @Test func pointsMadeWithinOneSecondListInCreationOrder() async throws {
        let folder = try TemporaryFolder()
        let repository = try await Fixtures.repository(in: folder)
        let path = folder.file("disk.img")
        try Fixtures.write(Images.make(.text, size: 70_000, seed: 3), to: path)

        var made: [RestorePointID] = []
        for _ in 0..<5 {
            made.append(try await repository.backup(source: FileDiskSource(path: path)).restorePoint.id)
        }
        let listed = try await repository.listRestorePoints()
        #expect(listed.map(\.id) == made)

        // Times survive the trip through the stored JSON with sub-second precision.
        let reopened = try await Repository.open(
            store: LocalFolderStore(root: folder.file("repo")),
            password: Fixtures.password
        )
        let stored = try await reopened.listRestorePoints()
        let gaps = zip(stored.dropFirst(), stored).map { $0.created.timeIntervalSince($1.created) }
        #expect(gaps.allSatisfy { $0 >= 0 })
        #expect(stored.contains { $0.created.timeIntervalSince1970.truncatingRemainder(dividingBy: 1) != 0 })
    }

    @Test func timesWithoutMillisecondsAreStillRead() throws {
        let decoder = Repository.jsonDecoder()
        let date = try decoder.decode(
            [Date].self,
            from: Data(#"["2026-11-24T21:30:00Z","2026-11-24T21:30:00.250Z"]"#.utf8)
        )
        #expect(date[1].timeIntervalSince(date[0]) == 0.25)
        #expect(throws: DecodingError.self) { try decoder.decode([Date].self, from: Data(#"["yesterday"]"#.utf8)) }
    }
}

@Suite struct SharedTimestampOrderTests {
    /// Three restore points in one parent chain with one creation time, whose IDs sort against the
    /// chain: `latest`, the listing and `--keep-last 1` must all pick the end of the chain.
    @Test func latestListingAndRetentionAgreeWhenTimesAreEqual() async throws {
        let folder = try TemporaryFolder()
        let repository = try await Fixtures.repository(in: folder)
        let path = folder.file("disk.img")
        try Fixtures.write(Images.make(.text, size: 70_000, seed: 9), to: path)
        let made = try await repository.backup(source: FileDiskSource(path: path)).restorePoint
        try await repository.store.delete(made.id.objectKey)

        let ids = ["f", "8", "0"].map { RestorePointID(unchecked: String(repeating: $0, count: 32)) }
        var parent: RestorePointID?
        for id in ids {
            var point = made
            point.id = id
            point.parent = parent
            _ = try await repository.writeRestorePoint(point)
            parent = id
        }

        #expect(try await repository.listRestorePoints().map(\.id) == ids)
        #expect(try await repository.latestRestorePoint()?.id == ids[2])
        #expect(try await repository.restorePoint(named: "latest").id == ids[2])
        let result = try await repository.forget(
            policy: RetentionPolicy(keepLast: 1),
            now: made.created,
            grouping: .single,
            dryRun: true
        )
        let plan = try #require(result.plan)
        #expect(plan.keptIDs == [ids[2].hex])
        #expect(Set(plan.removedIDs) == [ids[0].hex, ids[1].hex])
    }
}
