import BackupRepositoryTesting
import Foundation
import Testing

@testable import BackupRepository

/// A backup stopped part way leaves its stored packs indexed, so that the rerun reuses them.
@Suite struct InterruptedBackupTests {
    @Test func aCancelledBackupsPacksAreReusedByTheRerun() async throws {
        let fixture = try await MaintenanceFixture.make()
        defer { fixture.remove() }
        let image = TestImages.random(6 << 20, seed: 81)
        let path = fixture.folder.url.appendingPathComponent("image").path
        try image.write(to: URL(fileURLWithPath: path))
        let gate = FaultyStore(
            fixture.store,
            rules: [FaultRule(.put, keyPrefix: "packs/", occurrence: 4, effect: .holdUntilCancelled("fourth pack"))]
        )
        let gated = try await Repository.open(store: gate, password: MaintenanceFixture.password)
        // One upload at a time: when the fourth pack is held, the first three are stored and recorded.
        let options = BackupOptions(concurrency: 4, uploadConcurrency: 1)
        let interrupted = Task {
            try await gated.backup(source: try FileDiskSource(path: path), options: options)
        }
        await gate.waitUntilHeld("fourth pack")
        interrupted.cancel()
        let outcome = await interrupted.result
        #expect(throws: CancellationError.self) { try outcome.get() }
        #expect(try await fixture.repository.listRestorePointIDs().isEmpty, "no restore point was published")
        // At least one index object: the one written on cancellation, plus one per 10 s cadence on a slow machine.
        #expect(try await !fixture.repository.listIndexObjects().isEmpty, "the stored packs were indexed")

        let rerun = try await fixture.repository.backup(source: try FileDiskSource(path: path), options: options)
        let stored = rerun.statistics.bytesStored
        #expect(rerun.statistics.blocksDeduplicated >= 3 * (1 << 20) / 4096 - 3, "three packs' blocks are reused")
        #expect(stored < Int64(image.count) - 3 * (1 << 20) + (1 << 20))
        let report = try await fixture.repository.verify(.full)
        #expect(report.isHealthy, "\(report.repositoryProblems)")
        #expect(try await fixture.restored(rerun.restorePoint.id) == image)
    }
}
