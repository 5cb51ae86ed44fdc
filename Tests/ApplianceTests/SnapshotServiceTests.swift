import AzureKit
import Foundation
import LocalCloudTesting
import Logging
import Synchronization
import Testing

@testable import Appliance

@Suite struct SnapshotServiceTests {
    static let vmName = "payroll-db"

    /// A clock that moves one minute on every reading.
    static func steppingClock() -> @Sendable () -> Date {
        let clock = SteppingClock()
        return { clock.next() }
    }

    static func service(
        _ cloud: TestCloud,
        key: SnapshotTagKey,
        logger: Logger = TestCloud.quiet,
        now: @escaping @Sendable () -> Date = { Date() }
    ) throws -> SnapshotService {
        SnapshotService(
            arm: cloud.arm,
            identity: try SnapshotTestSupport.identity(cloud),
            tagKey: key,
            logger: logger,
            now: now
        )
    }

    @Test func everyDiskOfAVMIsSnapshottedOnceWithSealedTags() async throws {
        try await TestCloud.with { cloud in
            let vmID = try await SnapshotTestSupport.vm(cloud, name: Self.vmName)
            let service = try Self.service(cloud, key: .random())
            let set = try await service.snapshotVM(
                vmResourceID: vmID,
                resourceGroup: cloud.group,
                sessionID: "session-1",
                taskID: "task-1"
            )
            #expect(set.disks.map(\.slot) == ["os", "lun0"])
            #expect(set.vmName == Self.vmName)
            #expect(set.taskID == "task-1")
            let vm = try #require(
                try await cloud.arm.virtualMachine(
                    resourceGroup: cloud.group,
                    name: Self.vmName,
                    logger: TestCloud.quiet
                )
            )
            let osDisk = try #require(vm.properties?.storageProfile?["osDisk"]?["managedDisk"]?["id"]?.stringValue)
            #expect(set.disks[0].sourceDiskID.lowercased() == osDisk.lowercased())

            for disk in set.disks {
                let snapshot = try #require(
                    try await cloud.arm.snapshot(
                        resourceGroup: cloud.group,
                        name: disk.snapshotName,
                        logger: TestCloud.quiet
                    )
                )
                #expect(snapshot.properties?.incremental == true)
                let tags = snapshot.tags ?? [:]
                #expect(ApplianceTags.isOwned(tags, by: service.identity))
                #expect(tags[ApplianceTags.role] == "snapshot")
                #expect(tags[ApplianceTags.task] == "task-1")
                #expect(tags.keys.contains("nimbus-meta-0"))
                for value in tags.values {
                    #expect(value.count <= 256)
                    #expect(!value.contains(Self.vmName), "tag values do not show the VM's name")
                }
            }

            // A repeat (as after a restart) takes nothing new.
            let again = try await service.snapshotVM(
                vmResourceID: vmID,
                resourceGroup: cloud.group,
                sessionID: "session-1",
                taskID: "task-1"
            )
            #expect(again.disks.map(\.snapshotID) == set.disks.map(\.snapshotID))
            #expect(again.createdAt == set.createdAt)
            #expect(
                try await cloud.arm.listSnapshots(resourceGroup: cloud.group, logger: TestCloud.quiet).collect().count
                    == 2
            )

            // A repeat after only one disk was snapshotted takes the missing one.
            try await cloud.arm.deleteSnapshot(
                resourceGroup: cloud.group,
                name: set.disks[1].snapshotName,
                logger: TestCloud.quiet
            )
            let resumed = try await service.snapshotVM(
                vmResourceID: vmID,
                resourceGroup: cloud.group,
                sessionID: "session-1",
                taskID: "task-1"
            )
            #expect(resumed.disks.map(\.snapshotName) == set.disks.map(\.snapshotName))
            let listed = try await service.cloudNativeSnapshots(of: vmID, resourceGroups: [cloud.group])
            #expect(listed.map(\.taskID) == ["task-1"])
            #expect(listed.first?.disks.count == 2)
        }
    }

    @Test func aSnapshotOfTheSameNameThatIsNotOursIsAConflict() async throws {
        try await TestCloud.with { cloud in
            let vmID = try await SnapshotTestSupport.vm(cloud, name: Self.vmName)
            let service = try Self.service(cloud, key: .random())
            let disk = try await cloud.emptyDisk("someone-elses")
            let name = service.names.snapshot(vmName: Self.vmName, disk: "os", taskID: "task-1")
            try await cloud.arm.createIncrementalSnapshot(
                resourceGroup: cloud.group,
                name: name,
                location: cloud.region,
                diskID: disk,
                logger: TestCloud.quiet
            )
            let error = await #expect(throws: ApplianceError.self) {
                try await service.snapshotVM(
                    vmResourceID: vmID,
                    resourceGroup: cloud.group,
                    sessionID: "session-1",
                    taskID: "task-1"
                )
            }
            guard case .conflict(let message)? = error else {
                Issue.record("expected a conflict, got \(String(describing: error))")
                return
            }
            #expect(message.contains(name))

            let missing = await #expect(throws: ApplianceError.self) {
                try await service.snapshotVM(
                    vmResourceID: cloud.arm.virtualMachinePath(resourceGroup: cloud.group, name: "no-such-vm"),
                    resourceGroup: cloud.group,
                    sessionID: "session-1",
                    taskID: "task-1"
                )
            }
            #expect(missing?.description.contains("no-such-vm") == true)
            let elsewhere = await #expect(throws: ApplianceError.self) {
                try await service.snapshotVM(
                    vmResourceID: "/subscriptions/other/resourceGroups/g/providers/Microsoft.Compute/virtualMachines/v",
                    resourceGroup: cloud.group,
                    sessionID: "session-1",
                    taskID: "task-1"
                )
            }
            #expect(elsewhere?.description.contains("subscription other") == true)
        }
    }

    @Test func tamperedAndForeignTagsAreIgnoredWithAWarning() async throws {
        try await TestCloud.with { cloud in
            let vmID = try await SnapshotTestSupport.vm(cloud, name: Self.vmName)
            let recorder = SnapshotLogRecorder()
            let ours = try Self.service(cloud, key: .random(), logger: recorder.logger, now: Self.steppingClock())
            let first = try await ours.snapshotVM(
                vmResourceID: vmID,
                resourceGroup: cloud.group,
                sessionID: "s1",
                taskID: "t1"
            )
            let second = try await ours.snapshotVM(
                vmResourceID: vmID,
                resourceGroup: cloud.group,
                sessionID: "s2",
                taskID: "t2"
            )
            // Another appliance key (or another appliance) in the same resource group.
            let foreign = try Self.service(cloud, key: .random())
            let theirs = try await foreign.snapshotVM(
                vmResourceID: vmID,
                resourceGroup: cloud.group,
                sessionID: "s3",
                taskID: "t3"
            )
            #expect(try await ours.listSets(resourceGroups: [cloud.group]).map(\.taskID) == ["t2", "t1"])
            let foreignWarnings = recorder.logged(.warning).compactMap { $0.metadata["snapshot.name"] }
            #expect(Set(foreignWarnings) == Set(theirs.disks.map(\.snapshotName)))
            #expect(try await foreign.listSets(resourceGroups: [cloud.group]).map(\.taskID) == ["t3"])

            // Someone edits a sealed value of the first set's data disk snapshot (a full tag update, as ARM does).
            let victim = first.disks[1]
            let current = try #require(
                try await cloud.arm.snapshot(
                    resourceGroup: cloud.group,
                    name: victim.snapshotName,
                    logger: TestCloud.quiet
                )
            )
            var tags = current.tags ?? [:]
            let value = try #require(tags["nimbus-meta-0"])
            tags["nimbus-meta-0"] = String(value.reversed())
            try await cloud.arm.updateSnapshotTags(
                resourceGroup: cloud.group,
                name: victim.snapshotName,
                tags: tags,
                logger: TestCloud.quiet
            )
            let sets = try await ours.listSets(resourceGroups: [cloud.group])
            #expect(sets.map(\.taskID) == [second.taskID], "the tampered set is not returned, the other one is")
            #expect(recorder.logged(.warning).contains { $0.metadata["snapshot.name"] == victim.snapshotName })
            // A resource group that does not exist holds no sets; it is not an error.
            #expect(try await ours.listSets(resourceGroups: ["rg-missing"]).isEmpty)
        }
    }

    @Test func retentionKeepsTheNewestSetsAndDeletesWholeOlderSets() async throws {
        try await TestCloud.with { cloud in
            let vmID = try await SnapshotTestSupport.vm(cloud, name: Self.vmName)
            let service = try Self.service(cloud, key: .random(), now: Self.steppingClock())
            var taken: [CloudNativeSnapshot] = []
            for task in ["t1", "t2", "t3"] {
                taken.append(
                    try await service.snapshotVM(
                        vmResourceID: vmID,
                        resourceGroup: cloud.group,
                        sessionID: "s",
                        taskID: task
                    )
                )
            }
            let refused = await #expect(throws: ApplianceError.self) {
                try await service.applyRetention(vmResourceID: vmID, keep: 0, resourceGroups: [cloud.group])
            }
            #expect(refused?.description.contains("at least 1") == true)

            let deleted = try await service.applyRetention(vmResourceID: vmID, keep: 2, resourceGroups: [cloud.group])
            #expect(deleted.map(\.taskID) == ["t1"])
            for disk in taken[0].disks {
                #expect(
                    try await cloud.arm.snapshot(
                        resourceGroup: cloud.group,
                        name: disk.snapshotName,
                        logger: TestCloud.quiet
                    ) == nil
                )
            }
            #expect(
                try await service.cloudNativeSnapshots(of: vmID, resourceGroups: [cloud.group]).map(\.taskID)
                    == ["t3", "t2"]
            )
            let last = try await service.applyRetention(vmResourceID: vmID, keep: 1, resourceGroups: [cloud.group])
            #expect(last.map(\.taskID) == ["t2"])
            #expect(
                try await service.cloudNativeSnapshots(of: vmID, resourceGroups: [cloud.group]).map(\.taskID) == ["t3"]
            )
            #expect(
                try await cloud.arm.listSnapshots(resourceGroup: cloud.group, logger: TestCloud.quiet).collect().count
                    == 2
            )
        }
    }

    @Test func tagUpdatesMergeAndNeverTouchTheApplianceTags() async throws {
        try await TestCloud.with { cloud in
            let vmID = try await SnapshotTestSupport.vm(cloud, name: Self.vmName)
            let service = try Self.service(cloud, key: .random())
            let set = try await service.snapshotVM(
                vmResourceID: vmID,
                resourceGroup: cloud.group,
                sessionID: "s",
                taskID: "t"
            )
            let disk = set.disks[0]
            let refused = await #expect(throws: ApplianceError.self) {
                try await service.mergeTags(
                    ["Nimbus-Meta-0": "x"],
                    snapshot: disk.snapshotName,
                    resourceGroup: cloud.group
                )
            }
            #expect(refused?.description.contains("Nimbus-Meta-0") == true)
            let tags = try await service.mergeTags(
                ["cost-center": "42"],
                snapshot: disk.snapshotName,
                resourceGroup: cloud.group
            )
            #expect(tags["cost-center"] == "42")
            #expect(tags.keys.contains("nimbus-meta-0"))
            #expect(ApplianceTags.isOwned(tags, by: service.identity))
            #expect(try await service.cloudNativeSnapshots(of: vmID, resourceGroups: [cloud.group]).count == 1)
        }
    }

    @Test func aGrantedSASReadsUntilRevokedAndRevokingTwiceIsFine() async throws {
        try await TestCloud.with { cloud in
            let vmID = try await SnapshotTestSupport.vm(cloud, name: Self.vmName)
            let service = try Self.service(cloud, key: .random())
            let set = try await service.snapshotVM(
                vmResourceID: vmID,
                resourceGroup: cloud.group,
                sessionID: "s",
                taskID: "t"
            )
            let disk = set.disks[1]
            let sas = try await service.grantRead(snapshot: disk, duration: .seconds(600))
            let reader = try BlobClient(client: cloud.client, sasURL: sas)
            let container = try #require(sas.container)
            let blob = try #require(sas.blob)
            _ = try await reader.downloadData(
                container: container,
                blob: blob,
                range: PageRange(start: 0, end: 511),
                logger: TestCloud.quiet
            )
            try await service.revoke(snapshot: disk)
            let denied = await #expect(throws: AzureError.self) {
                _ = try await reader.downloadData(
                    container: container,
                    blob: blob,
                    range: PageRange(start: 0, end: 511),
                    logger: TestCloud.quiet
                )
            }
            #expect(denied?.status == 403)
            try await service.revoke(snapshot: disk)
            try await cloud.arm.deleteSnapshot(
                resourceGroup: cloud.group,
                name: disk.snapshotName,
                logger: TestCloud.quiet
            )
            try await service.revoke(snapshot: disk)
            await #expect(throws: ApplianceError.self) {
                _ = try await service.grantRead(snapshot: set.disks[0], duration: .milliseconds(10))
            }
        }
    }
}

/// Minutes from a fixed start, one more on every reading.
final class SteppingClock: Sendable {
    private let minutes = Mutex(0)

    func next() -> Date {
        let step = minutes.withLock { value -> Int in
            value += 1
            return value
        }
        return Date(timeIntervalSince1970: 1_800_000_000 + Double(step) * 60)
    }
}
