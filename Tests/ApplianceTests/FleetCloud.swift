import Appliance
import AzureKit
import Foundation
import LocalCloudTesting
import Logging
import Synchronization

/// A LocalCloud with a worker network, as the regional infrastructure step leaves it: a storage account with public
/// network access disabled, private endpoints for its Blob and Queue services in subnet `workers`, and the appliance
/// reaching the account through those endpoints' addresses.
struct FleetCloud: Sendable {
    let cloud: TestCloud
    let account: TestCloud.Account
    let identity: ApplianceIdentity
    let network: WorkerNetwork

    static let accountName = "nimbusfleet1"

    /// The debug-built `nimbus-worker`, found from this file's path (`swift build --build-tests` builds it).
    static var workerExecutable: String {
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        return root.appending(path: ".build/debug/nimbus-worker").path
    }

    /// Runs `body` with a fresh LocalCloud and worker network.
    static func with<T: Sendable>(_ body: @Sendable (FleetCloud) async throws -> T) async throws -> T {
        guard FileManager.default.isExecutableFile(atPath: workerExecutable) else {
            throw ApplianceError.notFound("\(workerExecutable) is missing; run swift build --build-tests first")
        }
        return try await TestCloud.with { cloud in
            let account = try await cloud.account(accountName, publicNetworkAccess: false)
            let blob = try await cloud.privateEndpoint(to: account, service: "blob")
            let queue = try await cloud.privateEndpoint(to: account, service: "queue")
            guard let port = URL(string: cloud.endpoints.resourceManager)?.port,
                let subnetID = try await cloud.arm.subnet(
                    resourceGroup: cloud.group,
                    virtualNetwork: "vnet-worker",
                    name: "workers",
                    logger: TestCloud.quiet
                )?.id,
                let blobEndpoint = URL(string: "https://\(blob):\(port)/\(account.name)/"),
                let queueEndpoint = URL(string: "https://\(queue):\(port)/\(account.name)-queue/")
            else { throw ApplianceError.notFound("no LocalCloud port or worker subnet") }
            let storage = StorageAccess(
                credential: account.credential,
                blobEndpoint: blobEndpoint,
                queueEndpoint: queueEndpoint
            )
            let identity = try ApplianceIdentity(
                vmResourceID: "/subscriptions/\(cloud.endpoints.subscriptionId)/resourceGroups/\(cloud.group)"
                    + "/providers/Microsoft.Compute/virtualMachines/appliance"
            )
            let fleet = FleetCloud(
                cloud: cloud,
                account: account,
                identity: identity,
                network: WorkerNetwork(
                    region: cloud.region,
                    resourceGroup: cloud.group,
                    subnetID: subnetID,
                    storage: storage
                )
            )
            return try await body(fleet)
        }
    }

    /// A bootstrap whose messaging account is the network's account (one region, as in the tests).
    var bootstrap: WorkerBootstrap {
        var bootstrap = WorkerBootstrap(
            arm: cloud.arm,
            client: cloud.client,
            identity: identity,
            messaging: network.storage,
            workerExecutable: Self.workerExecutable
        )
        bootstrap.settings.startupTimeout = .seconds(600)
        bootstrap.channelSettings.pollInterval = .milliseconds(100)
        return bootstrap
    }

    /// The folder LocalCloud plays a VM's root file system in.
    func vmFolder(_ vmName: String) async throws -> URL {
        guard
            let vmID = try await cloud.arm.virtualMachine(
                resourceGroup: network.resourceGroup,
                name: vmName,
                logger: TestCloud.quiet
            )?.properties?.vmId
        else { throw ApplianceError.notFound("VM \(vmName) has no vmId") }
        return cloud.folder.appending(path: "vms/\(vmID)")
    }

    /// The power state of a VM.
    func powerState(_ vmName: String) async throws -> String? {
        try await cloud.arm.virtualMachineInstanceView(
            resourceGroup: network.resourceGroup,
            name: vmName,
            logger: TestCloud.quiet
        ).powerState
    }

    /// The PID the install script recorded for the worker daemon of a VM.
    func daemonPID(_ vmName: String) async throws -> Int32? {
        let file = try await vmFolder(vmName).appending(path: "opt/nimbus/run/nimbus-worker.pid")
        guard let data = FileManager.default.contents(atPath: file.path) else { return nil }
        return Int32(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

/// Whether a process runs (exists and is not a zombie).
func isRunning(_ pid: Int32) -> Bool {
    guard let stat = FileManager.default.contents(atPath: "/proc/\(pid)/stat") else { return false }
    let text = String(decoding: stat, as: UTF8.self)
    guard let close = text.lastIndex(of: ")") else { return false }
    let state = text[text.index(after: close)...].trimmingCharacters(in: .whitespaces).prefix(1)
    return state != "Z" && state != "X"
}

/// Waits until `condition` holds, checking every 200 ms, for at most `timeout` (generous: the machine is shared).
func eventually(
    timeout: Duration = .seconds(300),
    _ condition: @Sendable () async throws -> Bool
) async throws -> Bool {
    let clock = ContinuousClock()
    let end = clock.now + timeout
    while clock.now < end {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(200))
    }
    return try await condition()
}

/// A clock the tests move by hand.
final class ManualClock: Sendable {
    private let current = Mutex(Date(timeIntervalSince1970: 1_800_000_000))

    /// The time now.
    var now: Date { current.withLock { $0 } }

    /// Moves the clock forward.
    func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}
