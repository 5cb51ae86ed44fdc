import Foundation
import Testing

@testable import BackupRepository

/// Prune removes the temporary files of killed writes once they are past the grace period.
@Suite struct PruneTemporaryFilesTests {
    @Test func pruneRemovesAbandonedTemporaryFilesButKeepsRecentOnes() async throws {
        let fixture = try await MaintenanceFixture.make()
        defer { fixture.remove() }
        let id = try await fixture.backup(TestImages.random(1 << 20, seed: 4), parent: nil, changed: nil)
        let packs = fixture.folder.url.appendingPathComponent("repo/packs").path
        let pack = try #require(try FileManager.default.contentsOfDirectory(atPath: packs).first)
        let abandoned = packs + "/" + pack + "/.tmp-killed"
        let recent = packs + "/" + pack + "/.tmp-running"
        for path in [abandoned, recent] { try Data(count: 1 << 16).write(to: URL(fileURLWithPath: path)) }
        try FileManager.default.setAttributes(
            [.modificationDate: Date().addingTimeInterval(-2 * 86_400)],
            ofItemAtPath: abandoned
        )
        var options = MaintenanceFixture.pruneOptions()
        options.grace = GarbageGrace(minimumAge: 3_600, clockSkew: 300)
        _ = try await fixture.repository.prune(options: options)
        #expect(!FileManager.default.fileExists(atPath: abandoned))
        #expect(FileManager.default.fileExists(atPath: recent))
        #expect(try await fixture.restored(id).count == 1 << 20)
    }
}
