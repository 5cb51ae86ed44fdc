import Appliance
import AzureKit
import Foundation
import LocalCloudTesting
import Testing
import WorkerProtocol

/// Launching a worker is idempotent by its deterministic names.
@Suite struct WorkerBootstrapTests {
    @Test func launchingARunningWorkerAgainReinstallsItInPlaceWithANewKey() async throws {
        try await FleetCloud.with { fleet in
            let logger = TestCloud.quiet
            let bootstrap = fleet.bootstrap
            let first = try await bootstrap.launch(index: 0, network: fleet.network, profile: .small, logger: logger)
            #expect(first.createdVM && !first.startedVM)
            #expect(first.vmName == "nimbus-worker-\(fleet.network.region)-0")
            #expect(first.configuration.workerID == first.workerID)
            let firstPID = try #require(try await fleet.daemonPID(first.vmName))

            let second = try await bootstrap.launch(index: 0, network: fleet.network, profile: .small, logger: logger)
            #expect(second.vmName == first.vmName && second.nicName == first.nicName)
            #expect(!second.createdVM && !second.startedVM)
            #expect(second.key != first.key)
            #expect(second.files.allSatisfy { !$0.uploaded })
            let secondPID = try #require(try await fleet.daemonPID(second.vmName))
            #expect(secondPID != firstPID)
            #expect(isRunning(secondPID))
            #expect(try await eventually { !isRunning(firstPID) }, "the first daemon \(firstPID) still runs")
            // One VM and one NIC, both the appliance's.
            let vms = try await fleet.cloud.arm.listVirtualMachines(
                resourceGroup: fleet.network.resourceGroup,
                logger: logger
            ).collect()
            #expect(vms.compactMap(\.name) == [first.vmName])
            let nic = try await fleet.cloud.arm.networkInterface(
                resourceGroup: fleet.network.resourceGroup,
                name: first.nicName,
                logger: logger
            )
            #expect(ApplianceTags.isOwned(nic?.tags, by: fleet.identity))
            // The new key answers; the configuration on the VM is the new one, readable by its owner only.
            let heartbeat = try await bootstrap.channel(to: second).ping(
                deadline: Date().addingTimeInterval(600),
                logger: logger
            )
            #expect(heartbeat.concurrency >= 1)
            let config = try await fleet.vmFolder(second.vmName).appending(path: "opt/nimbus/etc/worker.json").path
            let attributes = try FileManager.default.attributesOfItem(atPath: config)
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
        }
    }
}
