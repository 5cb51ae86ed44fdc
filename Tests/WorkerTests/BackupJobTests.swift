import AzureKit
import BackupRepository
import Foundation
import LocalCloud
import LocalCloudTesting
import Testing
import WorkerProtocol

@testable import Worker

/// Backup jobs through the queue: duplicates, and storage that throttles and drops connections.
@Suite struct BackupJobTests {
    @Test func aDuplicateMessageCreatesNoSecondRestorePoint() async throws {
        try await JobHarness.with { harness in
            _ = try await harness.repository(container: "backups", packSize: 4 << 20)
            let disk = try await harness.cloud.emptyDisk("dup-os")
            _ = try await harness.cloud.guest().mutate(disk: disk, percent: 0.5, seed: 3)
            let job = try harness.backupJob(
                "backup-dup",
                snapshot: try await harness.cloud.snapshotSAS("dup-1", of: disk),
                container: "backups"
            )
            try await harness.send(job)
            try await harness.send(job)
            let results = try await harness.results("backup-dup", count: 2).map { try $0.succeeded() }
            let points = try await harness.restorePoints(ofJob: "backup-dup", container: "backups")
            #expect(points.count == 1)
            #expect(results.map(\.restorePoint) == [points.first?.id, points.first?.id])
            #expect(results.map(\.answeredAgain) == [false, true])
            #expect((results.last?.statistics.bytesRead ?? -1) == 0)
        }
    }

    @Test func throttlingAndDroppedConnectionsOnGetBlobAndPutBlockAreSurvived() async throws {
        try await JobHarness.with { harness in
            // Packs larger than the store's 8 MiB upload block go up in blocks (Put Block, Put Block List).
            _ = try await harness.repository(container: "backups", blockSize: 256 * 1024, packSize: 32 << 20)
            let disk = try await harness.cloud.emptyDisk("faults-os")
            _ = try await harness.cloud.guest().mutate(disk: disk, percent: 2, seed: 5)
            let snapshot = try await harness.cloud.snapshotSAS("faults-1", of: disk)

            var rules: [FaultRule] = []
            for operation in ["GetBlob", "PutBlock"] {
                var throttle = FaultRule(kind: .throttle, operation: operation)
                throttle.id = "throttle-\(operation)"
                throttle.status = 503
                throttle.retryAfter = 0
                throttle.remaining = 2
                var drop = FaultRule(kind: .drop, operation: operation)
                drop.id = "drop-\(operation)"
                drop.remaining = 1
                rules += [throttle, drop]
            }
            try await harness.cloud.faults.replace(FaultRules(rules: rules))

            try await harness.send(try harness.backupJob("backup-faults", snapshot: snapshot, container: "backups"))
            let success = try await harness.result("backup-faults").succeeded()
            let id = try #require(success.restorePoint)
            // Every fault was met, and the job still succeeded.
            let left = await harness.cloud.faults.currentRules().rules
            #expect(left.count == rules.count && left.allSatisfy { $0.remaining == 0 }, "\(left)")
            try await harness.cloud.faults.replace(FaultRules())

            let repository = try await Repository.open(
                store: try await harness.store(container: "backups"),
                password: "pw"
            )
            #expect(try await repository.listRestorePointIDs() == [id])
            #expect(try await repository.verify(.full).isHealthy)
            let source = try await SnapshotDiskSource.open(
                client: harness.cloud.client,
                sasURL: snapshot,
                diskName: "os",
                logger: WorkerCloud.quiet
            )
            // Allocated ranges of the snapshot, spread over the disk, restore byte for byte.
            let allocated = try await source.allocatedRanges()
            #expect(!allocated.isEmpty)
            let stride = max(1, allocated.count / 12)
            for (index, range) in allocated.enumerated() where index % stride == 0 {
                let restored = try await repository.read(id, disk: .os, range: range)
                #expect(restored == (try await source.read(at: range.offset, length: Int(range.length))))
            }
        }
    }
}
