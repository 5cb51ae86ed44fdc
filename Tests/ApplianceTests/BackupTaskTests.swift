import AzureBlobStore
import AzureKit
import BackupRepository
import Foundation
import LocalCloud
import LocalCloudTesting
import Logging
import Synchronization
import Testing
import WorkerProtocol

@testable import Appliance

/// One VM's backup task end to end on LocalCloud: snapshots, the regional network found or created, a real worker VM
/// launched, the transfer, the SAS revoked, the worker released; then an incremental that reads only what changed.
@Suite struct BackupTaskTests {
    /// Deterministic bytes.
    static func image(length: Int, seed: UInt32) -> Data {
        var state = seed &* 2_654_435_761 | 1
        var bytes = [UInt8](repeating: 0, count: length)
        for index in bytes.indices {
            state ^= state << 13
            state ^= state >> 17
            state ^= state << 5
            bytes[index] = UInt8(truncatingIfNeeded: state)
        }
        return Data(bytes)
    }

    /// Checks that disk `slot` of restore point `point` starts with `image` and is `size` bytes long.
    static func expectDisk(
        _ repository: Repository,
        _ point: RestorePointID,
        _ slot: VMDiskSlot,
        startsWith image: Data,
        size: Int64,
        in folder: URL
    ) async throws {
        let path = folder.appending(path: "restored-\(slot)-\(point.hex).raw").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await repository.restore(point, disk: slot, toFile: path)
        let handle = try #require(FileHandle(forReadingAtPath: path))
        defer { try? handle.close() }
        #expect(try handle.seekToEnd() == UInt64(size))
        try handle.seek(toOffset: 0)
        #expect(try handle.read(upToCount: image.count) == image, "disk \(slot) differs from what the guest wrote")
        let after = try handle.read(upToCount: 1 << 20) ?? Data()
        #expect(after.allSatisfy { $0 == 0 }, "disk \(slot) is not zero after the image")
    }

    @Test func aVMIsBackedUpThroughEveryStepThenIncrementallyWithChangedBlockTracking() async throws {
        try await BackupFixture.with(prefix: "web-01/") { fixture in
            let (cloud, catalog, task, target) = (fixture.cloud, fixture.catalog, fixture.task, fixture.target)
            let logger = TestCloud.quiet
            let vmID = try await SnapshotTestSupport.vm(cloud, name: "web-01")
            let configuration = try await VMDescription(arm: cloud.arm, logger: logger).configuration(of: vmID)
            #expect(configuration.disks.map(\.slot) == [.os, .data(lun: 0)])
            #expect(configuration.size == "Standard_D2s_v5")
            #expect(configuration.networkInterfaces.first?.subnetID.hasSuffix("/subnets/default") == true)

            // What the guest wrote on each disk.
            var images: [VMDiskSlot: Data] = [:]
            for (index, disk) in configuration.disks.enumerated() {
                let image = Self.image(length: (2 + index) << 20, seed: UInt32(index + 1))
                try await fixture.write(image, to: disk.resourceID, name: "disk-\(index).img")
                images[disk.slot] = image
            }

            func newTask() async throws -> (UUID, JournaledTask) {
                let session = SessionRecord(kind: .backup, started: Date())
                try await catalog.insert(session)
                let record = TaskRecord(sessionID: session.id, vmResourceID: vmID)
                try await catalog.insert(record)
                return (session.id, JournaledTask(catalog: catalog, taskID: record.id))
            }

            // The full backup.
            let (firstSession, firstSteps) = try await newTask()
            let replies = Mutex<[MessageKind]>([])
            let full = try await task.run(
                vmResourceID: vmID,
                sessionID: firstSession,
                steps: firstSteps,
                snapshotGroup: cloud.group,
                target: target,
                parent: nil
            ) { reply in replies.withLock { $0.append(reply.kind) } }
            #expect(replies.withLock { $0.first } == .accepted)
            let journal = try await catalog.journal(task: firstSteps.taskID)
            #expect(
                journal.map(\.step) == [
                    "snapshots", "network", "worker", "grant-access", "transfer", "revoke-access", "release-worker",
                ]
            )
            #expect(journal.allSatisfy { $0.state == .done })
            // Secrets stay out of the journal: it names snapshots, never their SAS URLs.
            #expect(!journal.contains { $0.resources.values.contains { $0.contains("sig=") } })
            #expect(full.snapshotSet.disks.count == 2)
            #expect(full.previousSet == nil)
            let reopened = try await fixture.repository()
            for disk in configuration.disks {
                try await Self.expectDisk(
                    reopened,
                    full.restorePoint,
                    disk.slot,
                    startsWith: try #require(images[disk.slot]),
                    size: disk.sizeBytes,
                    in: cloud.folder
                )
            }
            // The guest changes 1 MiB of the data disk; the incremental reads only that.
            var changed = try #require(images[.data(lun: 0)])
            let patch = Self.image(length: 1 << 20, seed: 99)
            changed.replaceSubrange(0..<patch.count, with: patch)
            try await fixture.write(patch, to: configuration.disks[1].resourceID, name: "changed.img")
            let (secondSession, secondSteps) = try await newTask()
            let incremental = try await task.run(
                vmResourceID: vmID,
                sessionID: secondSession,
                steps: secondSteps,
                snapshotGroup: cloud.group,
                target: target,
                parent: (full.restorePoint, full.snapshotSet.taskID)
            )
            #expect(incremental.previousSet?.taskID == full.snapshotSet.taskID)
            #expect(incremental.restorePoint != full.restorePoint)
            #expect(
                incremental.statistics.bytesRead <= 4 << 20,
                "read \(incremental.statistics.bytesRead) bytes for a 1 MiB change"
            )
            let after = try await fixture.repository()
            try await Self.expectDisk(
                after,
                incremental.restorePoint,
                .data(lun: 0),
                startsWith: changed,
                size: configuration.disks[1].sizeBytes,
                in: cloud.folder
            )
            try await Self.expectDisk(
                after,
                incremental.restorePoint,
                .os,
                startsWith: try #require(images[.os]),
                size: configuration.disks[0].sizeBytes,
                in: cloud.folder
            )
            // One worker did both, and is idle in its pool now.
            #expect(await fixture.fleet.states(region: cloud.region).count == 1)
            for (_, worker) in await fixture.fleet.states(region: cloud.region) {
                guard case .idle = worker else {
                    Issue.record("the worker is \(worker), not idle")
                    continue
                }
            }
        }
    }

    @Test func aTaskStoppedDuringItsTransferResumesFromItsJournalAndMakesOneRestorePoint() async throws {
        try await BackupFixture.with(prefix: "db-01/") { fixture in
            let (cloud, catalog, task, target) = (fixture.cloud, fixture.catalog, fixture.task, fixture.target)
            let logger = TestCloud.quiet
            let vmID = try await SnapshotTestSupport.vm(cloud, name: "db-01")
            let configuration = try await VMDescription(arm: cloud.arm, logger: logger).configuration(of: vmID)
            let image = Self.image(length: 3 << 20, seed: 7)
            try await fixture.write(image, to: configuration.disks[1].resourceID, name: "data.img")
            let session = SessionRecord(kind: .backup, started: Date())
            try await catalog.insert(session)
            let record = TaskRecord(sessionID: session.id, vmResourceID: vmID)
            try await catalog.insert(record)
            let steps = JournaledTask(catalog: catalog, taskID: record.id)

            // Stopped as soon as the worker accepts the job, as an appliance stopped mid-transfer would be.
            let accepted = Mutex(false)
            let stopped = Task {
                try await task.run(
                    vmResourceID: vmID,
                    sessionID: session.id,
                    steps: steps,
                    snapshotGroup: cloud.group,
                    target: target,
                    parent: nil
                ) { reply in
                    if reply.kind == .accepted { accepted.withLock { $0 = true } }
                }
            }
            let deadline = ContinuousClock.now + .seconds(600)
            while !accepted.withLock({ $0 }), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            stopped.cancel()
            _ = await stopped.result
            let interrupted = try await catalog.journal(task: record.id)
            #expect(interrupted.first { $0.step == "snapshots" }?.state == .done)
            #expect(interrupted.first { $0.step == "revoke-access" }?.state == .done, "a stop still revokes")

            // The same task again, as its next attempt: done steps are skipped, the rest run, the first attempt's late
            // replies are ignored, and there is one restore point.
            let resumed = try await task.run(
                vmResourceID: vmID,
                sessionID: session.id,
                attempt: 2,
                steps: steps,
                snapshotGroup: cloud.group,
                target: target,
                parent: nil
            )
            let journal = try await catalog.journal(task: record.id)
            #expect(journal.allSatisfy { $0.state == .done }, "\(journal.map { "\($0.step)=\($0.state)" })")
            let repository = try await fixture.repository()
            #expect(try await repository.listRestorePointIDs() == [resumed.restorePoint])
            let sets = try await task.services.snapshots.cloudNativeSnapshots(of: vmID, resourceGroups: [cloud.group])
            #expect(sets.count == 1, "the repeated snapshot step took no second set")
            try await Self.expectDisk(
                repository,
                resumed.restorePoint,
                .data(lun: 0),
                startsWith: image,
                size: configuration.disks[1].sizeBytes,
                in: cloud.folder
            )
        }
    }
}
