import AzureKit
import Foundation
import LocalCloud
import Logging

/// A LocalCloud in process over HTTPS with an ARM client, a resource group, and helpers for disks, snapshots,
/// storage accounts, queues and private endpoints: the harness of every test of Azure-facing code.
public struct TestCloud: Sendable {
    public let cloud: LocalCloud
    public let client: AzureClient
    public let arm: ARMClient
    public let environment: AzureEnvironment
    /// LocalCloud's `endpoints.json`: subscription, tenant and the client credentials of its service principal.
    public let endpoints: LocalCloudEndpoints
    public let folder: URL
    public let region: String
    public let group = "rg-tests"

    public static let quiet = Logger(label: "localcloud.tests", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Starts LocalCloud, creates the resource group, runs `body`, and stops everything. `middleware` runs first in
    /// the client's chain (to alter what the client sees of real answers); the client retries `maxRetries` times.
    public static func with<T: Sendable>(
        middleware: [any AzureMiddleware] = [],
        maxRetries: Int = 4,
        _ body: @Sendable (TestCloud) async throws -> T
    ) async throws -> T {
        let folder = FileManager.default.temporaryDirectory.appending(path: "localcloud-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let cloud = try LocalCloud(configuration: .init(dataDirectory: folder), logger: quiet)
        return try await cloud.withRunning { _ in
            let (environment, endpoints) = try AzureEnvironment.localCloud(
                endpointsFile: folder.appending(path: "endpoints.json")
            )
            let client = AzureClient(
                transport: try AsyncHTTPClientTransport(
                    provider: .createNew,
                    configuration: .init(extraTrustedCAPEM: environment.extraTrustedCAPEM)
                ),
                retryPolicy: .exponential(base: .milliseconds(20), maxRetries: maxRetries),
                middleware: middleware
            )
            do {
                let credential = ClientSecretCredential(
                    tenantID: endpoints.tenantId,
                    clientID: endpoints.clientId,
                    clientSecret: endpoints.clientSecret,
                    authorityHost: environment.authorityHost,
                    client: client
                )
                let arm = ARMClient(
                    client: client,
                    environment: environment,
                    credential: credential,
                    subscriptionID: endpoints.subscriptionId,
                    pollInterval: .milliseconds(20)
                )
                let region = endpoints.regions?.first ?? "westeurope"
                let setup = TestCloud(
                    cloud: cloud,
                    client: client,
                    arm: arm,
                    environment: environment,
                    endpoints: endpoints,
                    folder: folder,
                    region: region
                )
                try await arm.createResourceGroup(setup.group, location: region, logger: quiet)
                let result = try await body(setup)
                try await client.shutdown()
                return result
            } catch {
                try? await client.shutdown()
                throw error
            }
        }
    }

    /// LocalCloud's fault rules.
    public var faults: FaultInjector { cloud.services.faults }

    /// Writes to disks as their guest would.
    public func guest() throws -> GuestDiskIO { try GuestDiskIO(cloud: cloud.services) }

    /// Creates an empty managed disk of `sizeGB` GiB and returns its ID.
    public func emptyDisk(_ name: String, sizeGB: Int = 1) async throws -> String {
        let disk = try await arm.createEmptyDisk(
            resourceGroup: group,
            name: name,
            location: region,
            sizeGB: sizeGB,
            logger: Self.quiet
        )
        return disk.id ?? arm.diskPath(resourceGroup: group, name: name)
    }

    /// Takes an incremental snapshot of `diskID` and returns a read SAS URL for it.
    public func snapshotSAS(_ name: String, of diskID: String, duration: Duration = .seconds(3600)) async throws
        -> SASURL
    {
        try await arm.createIncrementalSnapshot(
            resourceGroup: group,
            name: name,
            location: region,
            diskID: diskID,
            logger: Self.quiet
        )
        let url = try await arm.beginSnapshotAccess(
            resourceGroup: group,
            name: name,
            duration: duration,
            logger: Self.quiet
        )
        return try SASURL(string: url)
    }

    /// Ends every SAS of the snapshot `name`.
    public func revoke(_ name: String) async throws {
        try await arm.endSnapshotAccess(resourceGroup: group, name: name, logger: Self.quiet)
    }

    /// A storage account's shared-key credential and Blob and Queue endpoints (as reached from outside any network).
    public struct Account: Sendable {
        public let name: String
        public let credential: StorageSharedKeyCredential
        public let blobEndpoint: URL
        public let queueEndpoint: URL
    }

    /// Creates a storage account (public network access as given) and returns its credential and endpoints.
    public func account(_ name: String, publicNetworkAccess: Bool = true) async throws -> Account {
        var properties = StorageAccountProperties()
        properties.publicNetworkAccess = publicNetworkAccess ? "Enabled" : "Disabled"
        try await arm.createStorageAccount(
            resourceGroup: group,
            name: name,
            location: region,
            properties: properties,
            logger: Self.quiet
        )
        let key = try await arm.storageAccountKeys(resourceGroup: group, name: name, logger: Self.quiet)[0].value
        guard let blob = environment.storageEndpoint(account: name, service: .blob),
            let queue = environment.storageEndpoint(account: name, service: .queue)
        else { throw AzureError(.configuration, message: "no storage endpoints for \(name)") }
        return Account(
            name: name,
            credential: try StorageSharedKeyCredential(accountName: name, accountKey: key),
            blobEndpoint: blob,
            queueEndpoint: queue
        )
    }

    /// A Queue client on `account` with Shared Key.
    public func queues(_ account: Account) -> QueueClient {
        QueueClient(client: client, endpoint: account.queueEndpoint, authorization: .sharedKey(account.credential))
    }

    /// Creates (once) a virtual network with an endpoint subnet, and a private endpoint in it to `service` of
    /// `account`; returns the endpoint's address.
    public func privateEndpoint(to account: Account, service: String) async throws -> String {
        try await arm.createVirtualNetwork(
            resourceGroup: group,
            name: "vnet-worker",
            network: VirtualNetwork(
                location: region,
                properties: VirtualNetworkProperties(
                    addressPrefixes: ["10.40.0.0/16"],
                    subnets: [
                        Subnet(
                            name: "workers",
                            properties: SubnetProperties(
                                addressPrefix: "10.40.1.0/24",
                                privateEndpointNetworkPolicies: "Disabled"
                            )
                        )
                    ]
                )
            ),
            logger: Self.quiet
        )
        guard
            let subnetID = try await arm.subnet(
                resourceGroup: group,
                virtualNetwork: "vnet-worker",
                name: "workers",
                logger: Self.quiet
            )?.id,
            let accountID = try await arm.storageAccount(resourceGroup: group, name: account.name, logger: Self.quiet)?
                .id
        else { throw AzureError(.configuration, message: "no subnet or account") }
        let endpoint = try await arm.createPrivateEndpoint(
            resourceGroup: group,
            name: "pe-\(account.name)-\(service)",
            location: region,
            subnetID: subnetID,
            resourceID: accountID,
            groupIDs: [service],
            logger: Self.quiet
        )
        guard let address = endpoint.properties?.customDnsConfigs?.first?.ipAddresses?.first else {
            throw AzureError(.configuration, message: "the private endpoint has no address")
        }
        return address
    }
}
