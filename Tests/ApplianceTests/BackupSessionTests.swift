import AzureBlobStore
import AzureKit
import BackupRepository
import Foundation
import LocalCloud
import LocalCloudTesting
import Logging
import Testing

@testable import Appliance

/// A backup session over several VMs on LocalCloud: one task per VM, statuses and counters rolled up, the next
/// session incremental, a failed VM named in the reason, and a retry that runs only the failed VM.
@Suite struct BackupSessionTests {
    @Test func aSessionBacksUpEveryVMAndRollsUpItsStatusAndARetryRunsOnlyTheFailedVM() async throws {
        try await BackupFixture.with(workersPerRegion: 1, prefix: "policy-1/") { fixture in
            let (cloud, catalog, task, target) = (fixture.cloud, fixture.catalog, fixture.task, fixture.target)
            let logger = TestCloud.quiet
            let web = try await SnapshotTestSupport.vm(cloud, name: "web-01")
            let app = try await SnapshotTestSupport.vm(cloud, name: "app-01")
            for (index, vm) in [web, app].enumerated() {
                let configuration = try await VMDescription(arm: cloud.arm, logger: logger).configuration(of: vm)
                let image = BackupTaskTests.image(length: 2 << 20, seed: UInt32(10 + index))
                try await fixture.write(image, to: configuration.disks[1].resourceID, name: "vm-\(index).img")
            }
            // One worker per region: the session runs the region's VMs one after the other on it.
            let sessions = BackupSession(catalog: catalog, task: task, concurrencyPerRegion: 1, logger: logger)
            let group = cloud.group

            let first = try await sessions.create(vms: [web, app])
            let full = try await sessions.run(first.id, snapshotGroup: { _ in group }, target: target)
            #expect(full.status == .success, "\(full.reason ?? "")")
            #expect(full.counters.tasks == 2 && full.counters.succeeded == 2 && full.counters.failed == 0)
            #expect(full.ended != nil)
            let firstTasks = try await catalog.tasks(session: first.id)
            #expect(firstTasks.allSatisfy { $0.status == .success && $0.restorePointID != nil && $0.attempt == 1 })
            let repository = try await fixture.repository()
            #expect(try await repository.listRestorePointIDs().count == 2)

            // The next session is incremental for both VMs; then one VM is gone.
            let second = try await sessions.create(vms: [web, app])
            let incremental = try await sessions.run(second.id, snapshotGroup: { _ in group }, target: target)
            #expect(incremental.status == .success, "\(incremental.reason ?? "")")
            let fullRead = firstTasks.reduce(Int64(0)) { $0 + $1.bytesRead }
            #expect(incremental.counters.bytesRead < fullRead, "the incremental read \(incremental.counters.bytesRead)")

            try await cloud.arm.deleteVirtualMachine(resourceGroup: group, name: "app-01", logger: logger)
            let third = try await sessions.create(vms: [web, app])
            let partial = try await sessions.run(third.id, snapshotGroup: { _ in group }, target: target)
            #expect(partial.status == .warning)
            #expect(partial.counters.succeeded == 1 && partial.counters.failed == 1)
            #expect(partial.reason?.contains("1 of 2 VMs backed up; app-01:") == true, "\(partial.reason ?? "")")

            // A retry runs only the failed VM (it fails again: its VM is gone), never the one backed up.
            let before = try await catalog.tasks(session: third.id)
            let retried = try await sessions.run(
                third.id,
                snapshotGroup: { _ in group },
                target: target,
                retryFailed: true
            )
            #expect(retried.status == .warning)
            let after = try await catalog.tasks(session: third.id)
            let webBefore = try #require(before.first { $0.vmResourceID == web })
            let webAfter = try #require(after.first { $0.vmResourceID == web })
            #expect(webAfter.attempt == 1 && webAfter.restorePointID == webBefore.restorePointID)
            #expect(after.first { $0.vmResourceID == app }?.attempt == 2)
            #expect(try await fixture.repository().listRestorePointIDs().count == 5)
        }
    }
}
