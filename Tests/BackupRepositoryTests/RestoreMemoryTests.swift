import Foundation
import Testing

@testable import BackupRepository

/// A restore fetches ahead of the writer only up to its memory budget (plus one run), however many runs it may
/// have in flight.
@Suite struct RestoreMemoryTests {
    @Test func fetchingAheadStopsAtTheBudget() async throws {
        let folder = try TemporaryFolder()
        let repository = try await Fixtures.repository(in: folder, blockSize: 16 * 1024)
        // 6 MiB of text in 16 KiB blocks: runs of up to 32 blocks (512 KiB) within 1 MiB packs.
        let image = Images.make(.text, size: 6 << 20, seed: 21)
        try Fixtures.write(image, to: folder.file("disk.img"))
        let point = try await repository.backup(source: FileDiskSource(path: folder.file("disk.img"))).restorePoint
        let geometry = TreeGeometry(diskSize: point.diskSize, blockSize: point.blockSize, fanout: point.treeFanout)
        let runLimit = Int64(Repository.maximumRunBlocks * point.blockSize)

        for budget in [64 * 1024, 1 << 20] {
            var restored = Data()
            let statistics = try await repository.forEachBlock(
                of: point,
                blocks: 0..<geometry.blockCount,
                concurrency: 16,
                memoryBudget: budget,
                progress: nil
            ) { _, data in
                restored.append(data)
            }
            #expect(restored == image)
            #expect(statistics.peakBytesBuffered > 0)
            #expect(statistics.peakBytesBuffered <= Int64(budget) + runLimit)
        }

        // Without a tight budget, sixteen runs may be fetched at once: the bound above is what holds it back.
        let unbounded = try await repository.forEachBlock(
            of: point,
            blocks: 0..<geometry.blockCount,
            concurrency: 16,
            memoryBudget: Int.max,
            progress: nil
        ) { _, _ in }
        #expect(unbounded.peakBytesBuffered > Int64(64 * 1024) + runLimit)
    }
}
