import AzureBlobStore
import AzureKit
import BackupRepository
import Foundation
import LocalCloudTesting
import NIOCore
import Testing
import WorkerProtocol

@testable import Worker

/// Archive, verify and maintenance jobs, and overflowed jobs, run by a worker's queue loop against repositories in
/// LocalCloud Blob storage.
@Suite struct RepositoryJobTests {
    @Test func archiveThenArchiveAgainCopiesOnlyNewBlocksIntoTheArchiveTierAndARedeliveryCopiesNothing() async throws {
        try await JobHarness.with { harness in
            let source = try await harness.repository(container: "backups")
            var image = noise(1, size: 1 << 20)
            let first = try await source.backup(image, folder: harness.cloud.folder)
            let firstID = first.restorePoint.id

            func archiveJob(_ jobID: String, _ points: [RestorePointID]) throws -> Envelope {
                harness.envelope(
                    jobID,
                    .archive(
                        ArchiveJob(
                            source: try harness.access(container: "backups", role: .source, jobID: jobID),
                            archive: try harness.access(
                                container: "archive",
                                prefix: "vm1/",
                                password: "cold",
                                role: .archive,
                                jobID: jobID
                            ),
                            restorePoints: points,
                            packSize: 1 << 20
                        )
                    )
                )
            }
            try await harness.send(try archiveJob("archive-1", [firstID]))
            let full = try await harness.result("archive-1").succeeded()
            let fullCopy = try #require(full.copy)
            #expect(!full.answeredAgain)
            #expect(
                full.archived == [
                    ArchivedRestorePoint(source: firstID, archive: firstID, bytesStored: fullCopy.bytesCopied)
                ]
            )
            #expect(fullCopy.restorePointsCopied == [firstID.hex])
            #expect(fullCopy.blocksCopied == first.statistics.blocksNew)
            #expect(fullCopy.dataPacksWritten >= 1 && fullCopy.packsArchived == fullCopy.dataPacksWritten)

            // Change three places, back up again, archive both points: only the new blocks travel.
            image.replaceSubrange(0..<4096, with: noise(2, size: 4096))
            image.replaceSubrange(300_000..<300_100, with: noise(3, size: 100))
            image.replaceSubrange(900_000..<1_000_000, with: noise(4, size: 100_000))
            let second = try await source.backup(image, folder: harness.cloud.folder)
            let secondID = second.restorePoint.id
            #expect(second.statistics.blocksNew < first.statistics.blocksNew)
            let job = try archiveJob("archive-2", [firstID, secondID])
            try await harness.send(job)
            let incremental = try await harness.result("archive-2").succeeded()
            let incrementalCopy = try #require(incremental.copy)
            #expect(!incremental.answeredAgain)
            #expect(incrementalCopy.restorePointsPresent == [firstID.hex])
            #expect(incrementalCopy.restorePointsCopied == [secondID.hex])
            #expect(incrementalCopy.blocksCopied == second.statistics.blocksNew)
            #expect(incrementalCopy.bytesCopied < fullCopy.bytesCopied)
            #expect(incrementalCopy.packsArchived == incrementalCopy.dataPacksWritten)
            #expect(incremental.archived?.map(\.source) == [firstID, secondID])

            // The same message again (a redelivery): answered again, nothing copied.
            try await harness.send(job)
            let again = try #require(try await harness.results("archive-2", count: 2).last).succeeded()
            #expect(again.answeredAgain)
            #expect(again.copy?.blocksCopied == 0 && again.copy?.bytesCopied == 0)
            #expect(again.copy?.restorePointsPresent == [firstID.hex, secondID.hex])

            // In the archive, every data pack is in the Archive tier, tree packs online; both points listed.
            let archive = try await Repository.open(
                store: try await harness.store(container: "archive", prefix: "vm1/"),
                password: "cold"
            )
            #expect(archive.isLinked(with: source))
            #expect(Set(try await archive.listRestorePointIDs()) == [firstID, secondID])
            let packs = try await archive.packsByKind()
            #expect(packs.data.count == fullCopy.dataPacksWritten + incrementalCopy.dataPacksWritten)
            for pack in packs.data { #expect(try await archive.tier(of: pack)?.tier == .archive) }
            for pack in packs.tree { #expect(try await archive.tier(of: pack)?.tier == .online) }
            let steps = harness.replies.all.filter { envelope in
                guard envelope.jobID == "archive-2", case .stepDone(let step) = envelope.body else { return false }
                return step.step == "copy"
            }
            #expect(steps.count >= 2)
        }
    }

    @Test func aVerifyJobReportsADamagedPackByName() async throws {
        try await JobHarness.with { harness in
            let repository = try await harness.repository(container: "verified")
            let backup = try await repository.backup(noise(7, size: 1 << 20), folder: harness.cloud.folder)

            try await harness.send(
                harness.envelope(
                    "verify-clean",
                    .verify(
                        VerifyJob(
                            repository: try harness.access(container: "verified", jobID: "verify-clean"),
                            depth: .full
                        )
                    )
                )
            )
            let clean = try #require(try await harness.result("verify-clean").succeeded().verify)
            #expect(clean.isHealthy)
            #expect(clean.mode == .full)

            // Flip bytes in the middle of a data pack, through the Blob API, keeping its length.
            let pack = try #require(try await repository.packsByKind().data.sorted().first)
            let name = pack.objectKey
            var bytes = Data(
                try await harness.blobs.downloadData(container: "verified", blob: name, logger: WorkerCloud.quiet)
                    .readableBytesView
            )
            let middle = bytes.count / 2
            for index in middle..<middle + 64 { bytes[index] ^= 0xA5 }
            try await harness.blobs.putBlob(
                container: "verified",
                blob: name,
                data: ByteBuffer(bytes: bytes),
                logger: WorkerCloud.quiet
            )

            for (jobID, depth) in [("verify-full", VerifyDepth.full), ("verify-sampled", .sampled(fraction: 1))] {
                try await harness.send(
                    harness.envelope(
                        jobID,
                        .verify(
                            VerifyJob(repository: try harness.access(container: "verified", jobID: jobID), depth: depth)
                        )
                    )
                )
                let report = try #require(try await harness.result(jobID).succeeded().verify)
                #expect(!report.isHealthy, "\(depth)")
                let named =
                    report.repositoryProblems.map(\.object)
                    + report.restorePoints.flatMap { $0.problems.map(\.object) }
                #expect(named.contains(name), "\(depth): \(named)")
                #expect(report.damagedRestorePoints == [backup.restorePoint.id.hex])
            }
        }
    }

    @Test func aMaintenanceJobForgetsPerPolicyGroupedByVMAndPrunes() async throws {
        try await JobHarness.with { harness in
            let repository = try await harness.repository(container: "maintained")
            var older: [RestorePointID] = []
            for seed in UInt8(1)...3 {
                let point = try await repository.backup(
                    noise(seed, size: 512 << 10),
                    metadata: #"{"vm":"vm-a"}"#,
                    folder: harness.cloud.folder
                )
                older.append(point.restorePoint.id)
            }
            let newest = older.removeLast()
            let otherImage = noise(9, size: 256 << 10)
            let other = try await repository.backup(
                otherImage,
                metadata: #"{"vm":"vm-b"}"#,
                folder: harness.cloud.folder
            )
            let before = try await repository.statistics().storedBytes

            try await harness.send(
                harness.envelope(
                    "maintain-1",
                    .maintenance(
                        MaintenanceJob(
                            repository: try harness.access(container: "maintained", jobID: "maintain-1"),
                            retention: RetentionPolicy(keepLast: 1),
                            prune: true
                        )
                    )
                )
            )
            let success = try await harness.result("maintain-1").succeeded()
            #expect(Set(success.forgotten ?? []) == Set(older))
            let prune = try #require(success.prune)
            #expect(prune.reclaimedBytes > 0)
            #expect(prune.packsDeleted + prune.packsRepacked > 0)

            let reopened = try await Repository.open(
                store: try await harness.store(container: "maintained"),
                password: "pw"
            )
            #expect(Set(try await reopened.listRestorePointIDs()) == [newest, other.restorePoint.id])
            #expect(try await reopened.statistics().storedBytes < before)
            #expect(try await reopened.verify(.full).isHealthy)
            var restored = Data()
            try await reopened.restore(other.restorePoint.id) { restored.append($0) }
            #expect(restored == otherImage)
        }
    }

    /// A maintenance job whose policy lists so many tags that its envelope exceeds a queue message.
    static func largeMaintenance(_ harness: JobHarness, jobID: String) throws -> Envelope {
        let tags = Set((0..<2_500).map { "tag-\($0)-" + String(repeating: "x", count: 20) })
        return harness.envelope(
            jobID,
            .maintenance(
                MaintenanceJob(
                    repository: try harness.access(container: "overflowed", jobID: jobID),
                    retention: RetentionPolicy(keepLast: 1, keepTags: tags),
                    prune: false
                )
            )
        )
    }

    @Test func anOverflowedJobIsFetchedFromItsBlobAndRun() async throws {
        try await JobHarness.with { harness in
            let repository = try await harness.repository(container: "overflowed")
            let old = try await repository.backup(noise(1, size: 128 << 10), folder: harness.cloud.folder)
            let kept = try await repository.backup(noise(2, size: 128 << 10), folder: harness.cloud.folder)
            #expect(try await harness.send(try Self.largeMaintenance(harness, jobID: "overflow-1")))
            let success = try await harness.result("overflow-1").succeeded()
            #expect(success.forgotten == [old.restorePoint.id])
            #expect(try await repository.listRestorePointIDs() == [kept.restorePoint.id])
        }
    }

    @Test func anOverflowedJobWhoseBlobSASExpiredFailsPermanentlyAndIsNotPoisoned() async throws {
        try await JobHarness.with { harness in
            _ = try await harness.repository(container: "overflowed")
            let expired = Date().addingTimeInterval(-600)
            #expect(
                try await harness.send(try Self.largeMaintenance(harness, jobID: "overflow-2"), overflowExpiry: expired)
            )
            let failure = try #require(try await harness.result("overflow-2").failed)
            #expect(failure.failureClass == .permanent)
            #expect(failure.code == .sasExpired)
            #expect(failure.reason.contains("overflow blob"))
            // Answered and deleted: nothing left on the job queue, nothing poisoned.
            #expect(
                try await eventually {
                    try await harness.queues.peekMessages(queue: JobHarness.jobQueue, logger: WorkerCloud.quiet).isEmpty
                }
            )
            #expect(
                try await harness.queues.peekMessages(queue: JobHarness.poisonQueue, logger: WorkerCloud.quiet).isEmpty
            )
        }
    }

    @Test func anOverflowBlobThatDoesNotMatchItsPointerIsPoisonedAndReported() async throws {
        try await JobHarness.with { harness in
            _ = try await harness.repository(container: "overflowed")
            let envelope = try Self.largeMaintenance(harness, jobID: "overflow-3")
            let target = OverflowTarget(key: harness.key, workerID: harness.workerID) { harness.overflowURL($0) }
            let outgoing = try EnvelopeCodec().encode(envelope, overflow: target)
            let blob = try #require(outgoing.overflowBlob)
            // Same length, one byte changed: the SHA-256 no longer matches the pointer's.
            var altered = blob.bytes
            altered[altered.count / 2] ^= 0x01
            try await harness.blobs.putBlob(
                container: JobHarness.overflowContainer,
                blob: blob.name,
                data: ByteBuffer(bytes: altered),
                logger: WorkerCloud.quiet
            )
            _ = try await harness.queues.putMessage(
                queue: JobHarness.jobQueue,
                text: outgoing.text,
                logger: WorkerCloud.quiet
            )
            let replies = harness.replies
            let queues = harness.queues
            let reported = try await eventually(.seconds(120)) {
                try await replies.drain(queues, queue: JobHarness.replyQueue)
                return replies.all.contains { $0.jobID == "overflow-3" && $0.kind == .rejected }
            }
            try #require(reported)
            let rejected = try #require(replies.all.first { $0.jobID == "overflow-3" && $0.kind == .rejected })
            guard case .rejected(let body) = rejected.body else { return }
            #expect(body.cause == .undecodable)
            #expect(body.reason.contains("SHA-256"))
            #expect(replies.results("overflow-3").isEmpty)
            let poisoned = try await harness.queues.peekMessages(
                queue: JobHarness.poisonQueue,
                logger: WorkerCloud.quiet
            )
            #expect(poisoned.map(\.text) == [outgoing.text])
        }
    }
}
