import Foundation
import Testing

@testable import BackupRepository

@Suite struct MetadataAndStatisticsTests {
    @Test func metadataKeepsWholeNumbersAndReadsBackAsBuilt() throws {
        let built = JSONValue.object([
            "vm": .string("web-01"), "size": .integer(Int64.max), "ratio": .number(0.5),
            "tags": .array([.string("gold")]),
            "flag": .bool(true), "none": .null,
        ])
        let parsed = try JSONValue(parsing: built.encoded())
        #expect(parsed == built)
        #expect(parsed["size"]?.text == "9223372036854775807")
        #expect(parsed["flag"]?.text == "true")
        #expect(parsed["vm"]?.stringValue == "web-01")
        #expect(parsed["missing"] == nil)
        #expect(throws: (any Error).self) { try JSONValue(parsing: Data("{".utf8)) }
    }

    @Test func statisticsCountRestorePointsAndObjects() async throws {
        let folder = try TemporaryFolder()
        let repository = try await Fixtures.repository(in: folder)
        let path = folder.file("disk.img")
        try Fixtures.write(Images.make(.mixed, size: 400_000, seed: 6), to: path)
        let metadata = try JSONValue.object(["vm": .string("db"), "disk": .integer(0), "tags": .array([.string("t")])])
            .encoded()
        let point = try await repository.backup(
            source: FileDiskSource(path: path),
            options: BackupOptions(metadata: metadata)
        )
        .restorePoint
        _ = try await repository.backup(source: FileDiskSource(path: path))

        let totals = try await repository.statistics()
        #expect(totals.restorePoints == 2)
        #expect(totals.logicalBytes == 800_000)
        #expect(totals.packs >= 1 && totals.packBytes > 0)
        #expect(totals.objects > totals.packs + 2)
        #expect(totals.storedBytes > totals.packBytes)
        #expect(try #require(totals.reduction) > 1)

        // Retention reads the same metadata with the same type.
        let grouping = RetentionGrouping.metadataKeys(["vm", "disk"])
        #expect(grouping.group(point) == "db/0")
        #expect(grouping.tags(point) == ["t"])
    }
}
