import AzureKit
import Foundation
import LocalCloudTesting
import Logging
import Synchronization

@testable import Appliance

/// Helpers of the snapshot, regional infrastructure and disk access tests.
enum SnapshotTestSupport {
    /// The appliance, as a VM ID in the test cloud's subscription.
    static func identity(_ cloud: TestCloud, name: String = "nimbus-appliance") throws -> ApplianceIdentity {
        try ApplianceIdentity(
            vmResourceID: "/subscriptions/\(cloud.endpoints.subscriptionId)/resourceGroups/rg-appliance/providers/"
                + "Microsoft.Compute/virtualMachines/\(name)"
        )
    }

    /// Creates a VM `name` with an OS disk and a 1 GiB empty data disk at LUN 0; returns its resource ID.
    static func vm(_ cloud: TestCloud, name: String) async throws -> String {
        let network = "vnet-\(name)"
        try await cloud.arm.createVirtualNetwork(
            resourceGroup: cloud.group,
            name: network,
            network: VirtualNetwork(
                location: cloud.region,
                properties: VirtualNetworkProperties(
                    addressPrefixes: ["10.90.0.0/16"],
                    subnets: [Subnet(name: "default", properties: SubnetProperties(addressPrefix: "10.90.1.0/24"))]
                )
            ),
            logger: TestCloud.quiet
        )
        guard
            let subnet = try await cloud.arm.subnet(
                resourceGroup: cloud.group,
                virtualNetwork: network,
                name: "default",
                logger: TestCloud.quiet
            )?.id
        else { throw ApplianceError.notFound("subnet of \(network)") }
        let nic = try await cloud.arm.createNetworkInterface(
            resourceGroup: cloud.group,
            name: "\(name)-nic",
            location: cloud.region,
            subnetID: subnet,
            logger: TestCloud.quiet
        )
        var properties = VirtualMachineProperties.linux(
            vmSize: "Standard_D2s_v5",
            computerName: name,
            adminUsername: "azureuser",
            sshPublicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHRlc3Qta2V5LW5vdC11c2Vk test",
            networkInterfaceID: nic.id ?? ""
        )
        var storage = properties.storageProfile?.objectValue ?? [:]
        storage["dataDisks"] = [["lun": 0, "createOption": "Empty", "diskSizeGB": 1, "deleteOption": "Delete"]]
        properties.storageProfile = .object(storage)
        let vm = try await cloud.arm.createVirtualMachine(
            resourceGroup: cloud.group,
            name: name,
            vm: VirtualMachine(location: cloud.region, properties: properties),
            logger: TestCloud.quiet
        )
        return vm.id ?? cloud.arm.virtualMachinePath(resourceGroup: cloud.group, name: name)
    }

    /// The same URL sent to `address` instead: how a guest in the worker network reaches a private endpoint.
    static func through(_ url: URL, address: String) -> URL {
        var components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        components?.host = address
        return components?.url ?? url
    }
}

/// Keeps what was logged, so a test can check what was warned about.
final class SnapshotLogRecorder: Sendable {
    struct Entry: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
    }

    private let entries = Mutex<[Entry]>([])

    func record(_ entry: Entry) { entries.withLock { $0.append(entry) } }

    /// What was logged at `level`.
    func logged(_ level: Logger.Level) -> [Entry] { entries.withLock { $0.filter { $0.level == level } } }

    /// A logger writing here.
    var logger: Logger {
        var logger = Logger(label: "appliance.tests") { _ in SnapshotLogHandler(recorder: self) }
        logger.logLevel = .debug
        return logger
    }
}

/// The handler of ``SnapshotLogRecorder``'s loggers.
struct SnapshotLogHandler: LogHandler {
    let recorder: SnapshotLogRecorder
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .debug

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let fields = metadata.merging(event.metadata ?? [:]) { _, new in new }.mapValues { "\($0)" }
        recorder.record(.init(level: event.level, message: "\(event.message)", metadata: fields))
    }
}
