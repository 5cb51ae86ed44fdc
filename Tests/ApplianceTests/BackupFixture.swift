import AzureBlobStore
import AzureKit
import BackupRepository
import Foundation
import LocalCloud
import LocalCloudTesting
import Logging

@testable import Appliance

/// The appliance's parts on a LocalCloud, as the backup task and session tests use them: the region's network
/// (whose private account also carries the queues), a worker fleet, the backup task, a repository in a container
/// of that account, and a catalog.
struct BackupFixture: Sendable {
    static let password = "backup-fixture"

    let cloud: TestCloud
    let identity: ApplianceIdentity
    let storage: StorageAccess
    let fleet: WorkerFleet
    let task: BackupTask
    let store: AzureBlobStore
    let target: BackupTask.Target
    let catalog: Catalog

    /// Runs `body` with the parts ready; the fleet allows `workersPerRegion` workers, the repository is under
    /// `prefix` of container `backups`.
    static func with(
        workersPerRegion: Int = 3,
        prefix: String,
        _ body: @Sendable (BackupFixture) async throws -> Void
    ) async throws {
        guard FileManager.default.isExecutableFile(atPath: FleetCloud.workerExecutable) else {
            throw ApplianceError.notFound("\(FleetCloud.workerExecutable) is missing; run swift build --build-tests")
        }
        try await TestCloud.with { cloud in
            let logger = TestCloud.quiet
            let identity = try SnapshotTestSupport.identity(cloud)
            let infrastructure = RegionalInfrastructure(arm: cloud.arm, identity: identity, logger: logger)
            let network = try await infrastructure.prepare(region: cloud.region)
            let key = try await cloud.arm.storageAccountKeys(
                resourceGroup: network.resourceGroup,
                name: network.storageAccountName,
                logger: logger
            )[0].value
            let storage = PrivateEndpointReach.endpointAddress.storage(
                of: network,
                credential: try StorageSharedKeyCredential(accountName: network.storageAccountName, accountKey: key)
            )
            var bootstrap = WorkerBootstrap(
                arm: cloud.arm,
                client: cloud.client,
                identity: identity,
                messaging: storage,
                workerExecutable: FleetCloud.workerExecutable
            )
            bootstrap.channelSettings.pollInterval = .milliseconds(100)
            var settings = WorkerFleet.Settings()
            settings.maxWorkersPerRegion = workersPerRegion
            let fleet = WorkerFleet(bootstrap: bootstrap, settings: settings, logger: logger)
            let task = BackupTask(
                services: .init(
                    arm: cloud.arm,
                    snapshots: SnapshotService(
                        arm: cloud.arm,
                        identity: identity,
                        tagKey: try SnapshotTagKey(bytes: Data((0..<32).map { UInt8($0) })),
                        logger: logger
                    ),
                    infrastructure: infrastructure,
                    fleet: fleet,
                    reach: .endpointAddress
                ),
                logger: logger
            )
            let store = AzureBlobStore(
                client: cloud.client,
                endpoint: storage.blobEndpoint,
                container: "backups",
                credential: storage.credential,
                prefix: prefix,
                logger: logger
            )
            try await store.createContainerIfNeeded()
            var options = Repository.CreateOptions()
            options.scrypt = .weakForTesting
            _ = try await Repository.create(store: store, password: password, options: options)
            let folder = try CatalogTestFolder()
            defer { folder.remove() }
            try await body(
                BackupFixture(
                    cloud: cloud,
                    identity: identity,
                    storage: storage,
                    fleet: fleet,
                    task: task,
                    store: store,
                    target: BackupTask.Target(container: "backups", prefix: prefix, password: password),
                    catalog: try await folder.catalog()
                )
            )
        }
    }

    /// The repository as it is now.
    func repository() async throws -> Repository {
        try await Repository.open(store: store, password: Self.password)
    }

    /// Writes `image` at the start of `disk` as the guest would.
    func write(_ image: Data, to disk: String, name: String) async throws {
        let file = cloud.folder.appending(path: name)
        try image.write(to: file)
        _ = try await cloud.guest().importImage(disk: disk, file: file)
    }
}
