import AzureKit
import BackupRepository
import Foundation
import Logging
import Synchronization
import WorkerProtocol

/// One VM's backup in a session: the seed's steps, each journaled, in order.
///
/// 1. `snapshots`: a cloud-native snapshot of every disk (``SnapshotService``);
/// 2. `network`: the region's worker network, private storage account and endpoints (``RegionalInfrastructure``);
/// 3. `worker`: a worker from the region's pool, launched or reused (``WorkerFleet``);
/// 4. `grant-access`: read SAS URLs of each snapshot and, for changed-block tracking, of the previous set's;
/// 5. `transfer`: the backup job, followed to its result;
/// 6. `revoke-access`: the SAS URLs revoked, also when an earlier step failed or the task was stopped;
/// 7. `release-worker`: the worker back to the pool, which deallocates it once idle.
///
/// The repository is a container of the region's worker storage account, reached by the worker through that
/// account's private endpoint. SAS URLs are secrets: the journal records that access was granted, never the URLs.
public struct BackupTask: Sendable {
    /// What the task works with.
    public struct Services: Sendable {
        /// The VMs' subscription.
        public var arm: ARMClient
        /// Cloud-native snapshots.
        public var snapshots: SnapshotService
        /// Regional networks.
        public var infrastructure: RegionalInfrastructure
        /// The worker pools.
        public var fleet: WorkerFleet
        /// How the appliance reaches private storage accounts.
        public var reach: PrivateEndpointReach

        /// Services.
        public init(
            arm: ARMClient,
            snapshots: SnapshotService,
            infrastructure: RegionalInfrastructure,
            fleet: WorkerFleet,
            reach: PrivateEndpointReach
        ) {
            self.arm = arm
            self.snapshots = snapshots
            self.infrastructure = infrastructure
            self.fleet = fleet
            self.reach = reach
        }
    }

    /// Where the restore point goes.
    public struct Target: Sendable {
        /// The container, in the region's worker storage account.
        public var container: String
        /// The repository's prefix in the container.
        public var prefix: String
        /// The repository's password.
        public var password: String

        /// A target.
        public init(container: String, prefix: String, password: String) {
            self.container = container
            self.prefix = prefix
            self.password = password
        }
    }

    /// Deadlines and lifetimes.
    public struct Settings: Sendable {
        /// How long each short step may take.
        public var stepDeadline: Duration = .seconds(30 * 60)
        /// How long the transfer may take.
        public var transferDeadline: Duration = .seconds(12 * 3600)
        /// How long snapshot SAS URLs are valid (revoked as soon as the transfer ends).
        public var grantDuration: Duration = .seconds(12 * 3600)

        /// The defaults.
        public init() {}
    }

    /// What a finished task produced.
    public struct Outcome: Sendable {
        /// The restore point.
        public var restorePoint: RestorePointID
        /// Whether the worker found it already made (a repeated transfer).
        public var answeredAgain: Bool
        /// The transfer's totals.
        public var statistics: JobStatistics
        /// The snapshot set backed up.
        public var snapshotSet: CloudNativeSnapshot
        /// The set the transfer diffed against (changed-block tracking), if any.
        public var previousSet: CloudNativeSnapshot?
    }

    /// The services.
    public let services: Services
    /// The settings.
    public var settings = Settings()
    let logger: Logger

    /// A task runner.
    public init(services: Services, logger: Logger) {
        self.services = services
        self.logger = logger
    }

    /// Backs up `vmResourceID` for task `task` of session `sessionID` into `target`, journaled in `steps`.
    ///
    /// - Parameters:
    ///   - snapshotGroup: The resource group the snapshots are kept in.
    ///   - attempt: The task's attempt (``TaskRecord/attempt``), raised by the caller each time it runs the task
    ///     again: the worker's replies carry it, so a late reply to an earlier attempt's job is ignored.
    ///   - parent: The VM's previous restore point and the snapshot set it was taken from (its task ID); with both,
    ///     the transfer reads only the blocks changed since then.
    public func run(
        vmResourceID: String,
        sessionID: UUID,
        attempt: Int = 1,
        steps: JournaledTask,
        snapshotGroup: String,
        target: Target,
        parent: (restorePoint: RestorePointID, snapshotTaskID: String)?,
        onReply: @escaping @Sendable (Envelope) async -> Void = { _ in }
    ) async throws -> Outcome {
        let taskID = steps.taskID.uuidString.lowercased()
        let session = sessionID.uuidString.lowercased()
        let services = self.services
        let configuration = try await VMDescription(arm: services.arm, logger: logger).configuration(of: vmResourceID)
        await steps.log(.info, "backing up VM \(configuration.name) (\(configuration.disks.count) disks)")

        // 1. Snapshots.
        try await steps.step("snapshots", deadline: settings.stepDeadline) { _ in
            let set = try await services.snapshots.snapshotVM(
                vmResourceID: vmResourceID,
                resourceGroup: snapshotGroup,
                sessionID: session,
                taskID: taskID
            )
            return Dictionary(uniqueKeysWithValues: set.disks.map { ("snapshot.\($0.slot)", $0.snapshotID) })
        }
        let sets = try await services.snapshots.cloudNativeSnapshots(of: vmResourceID, resourceGroups: [snapshotGroup])
        guard let set = sets.first(where: { $0.taskID == taskID }) else {
            throw ApplianceError.notFound(
                "the snapshots of task \(taskID) are gone; retry the session to take new ones"
            )
        }
        let previous = parent.flatMap { parent in sets.first { $0.taskID == parent.snapshotTaskID } }
        await steps.log(.info, "snapshots: \(set.disks.map(\.snapshotName).joined(separator: ", "))")

        // 2. The region's network.
        let region = configuration.region
        let networkBox = Mutex<RegionalNetwork?>(nil)
        try await steps.step("network", deadline: settings.stepDeadline) { _ in
            let network = try await services.infrastructure.prepare(region: region)
            networkBox.withLock { $0 = network }
            return ["storageAccount": network.storageAccountID, "subnet": network.subnetID]
        }
        let network: RegionalNetwork
        if let prepared = networkBox.withLock({ $0 }) {
            network = prepared
        } else {
            network = try await services.infrastructure.prepare(region: region)
        }
        let key = try await services.arm.storageAccountKeys(
            resourceGroup: network.resourceGroup,
            name: network.storageAccountName,
            logger: logger
        )
        guard let accountKey = key.first?.value else {
            throw ApplianceError.cloud("the storage account \(network.storageAccountName) returned no key")
        }
        let storage = services.reach.storage(
            of: network,
            credential: try StorageSharedKeyCredential(accountName: network.storageAccountName, accountKey: accountKey)
        )
        let workerNetwork = WorkerNetwork(
            region: region,
            resourceGroup: network.resourceGroup,
            subnetID: network.subnetID,
            storage: storage
        )
        await steps.log(
            .info,
            "network: \(network.storageAccountName) in \(network.resourceGroup), private endpoints ready"
        )

        // 3. A worker.
        let totalBytes = configuration.disks.reduce(Int64(0)) { $0 + $1.sizeBytes }
        let workerBox = Mutex<LaunchedWorker?>(nil)
        let logger = self.logger
        try await steps.step("worker", deadline: settings.stepDeadline) { _ in
            let worker = try await services.fleet.acquire(
                network: workerNetwork,
                totalDiskBytes: totalBytes,
                logger: logger
            )
            workerBox.withLock { $0 = worker }
            return ["worker": worker.vmName]
        }
        let worker: LaunchedWorker
        if let launched = workerBox.withLock({ $0 }) {
            worker = launched
        } else {
            worker = try await services.fleet.acquire(
                network: workerNetwork,
                totalDiskBytes: totalBytes,
                logger: logger
            )
        }
        await steps.log(.info, "worker: \(worker.vmName) (\(worker.profile))")

        let grantDuration = settings.grantDuration
        let revokeTargets = set.disks + (previous?.disks ?? [])
        do {
            // 4. Read access to the snapshots (and the previous set's, for CBT).
            let grants = Mutex<[String: String]>([:])
            let snapshots = services.snapshots
            let grantAll: @Sendable () async throws -> Void = {
                for disk in revokeTargets {
                    let url = try await snapshots.grantRead(snapshot: disk, duration: grantDuration)
                    grants.withLock { $0[disk.snapshotName] = url.url.absoluteString }
                }
            }
            try await steps.step("grant-access", deadline: settings.stepDeadline) { _ in
                try await grantAll()
                return ["granted": revokeTargets.map(\.snapshotName).joined(separator: ",")]
            }
            // Granted before a restart: grant again, a new SAS for each (the old ones are revoked at the end).
            if grants.withLock({ $0.isEmpty }) { try await grantAll() }

            // 5. The transfer.
            let channel = services.fleet.bootstrap.channel(to: worker)
            let job = JobIdentity(
                jobID: "backup-\(taskID)",
                sessionID: session,
                taskID: taskID,
                attempt: attempt,
                deadline: Date().addingTimeInterval(settings.transferDeadline.inSeconds)
            )
            let urls = grants.withLock { $0 }
            let backup = try Self.backupJob(
                configuration: configuration,
                set: set,
                previous: parent == nil ? nil : previous,
                parent: previous == nil ? nil : parent?.restorePoint,
                urls: urls,
                target: target,
                storage: storage,
                context: channel.sealing(job.jobID)
            )
            let result = Mutex<JobResult?>(nil)
            let transferDeadline = settings.transferDeadline
            let transferred = try await steps.step("transfer", deadline: transferDeadline) { _ in
                let answer = try await channel.run(.backup(backup), job: job, logger: logger, onReply: onReply)
                result.withLock { $0 = answer }
                switch answer {
                case .success(let success):
                    return ["restorePoint": success.restorePoint?.hex ?? ""]
                case .failure(let failure):
                    throw ApplianceError.cloud("the worker could not back up VM \(configuration.name): \(failure)")
                }
            }
            try await revoke(revokeTargets, steps: steps)
            try await release(worker, steps: steps)
            let success: JobSuccess? =
                if case .success(let success) = result.withLock({ $0 }) { success } else { nil }
            // A transfer journaled as done before a restart: its restore point is in the journal.
            guard let point = success?.restorePoint ?? transferred["restorePoint"].flatMap(RestorePointID.init) else {
                throw ApplianceError.corrupt(
                    "the transfer of task \(taskID) is journaled as done without a restore point; retry the session"
                )
            }
            await steps.log(.info, "restore point \(point.hex) of VM \(configuration.name)")
            return Outcome(
                restorePoint: point,
                answeredAgain: success?.answeredAgain ?? true,
                statistics: success?.statistics ?? JobStatistics(),
                snapshotSet: set,
                previousSet: previous
            )
        } catch {
            // Clean-up runs also when the task was stopped: in a task of its own, which the stop does not cancel.
            let cleanup = self
            try? await Task { try await cleanup.revoke(revokeTargets, steps: steps) }.value
            try? await Task { try await cleanup.release(worker, steps: steps) }.value
            throw error
        }
    }

    /// Step 6: every snapshot SAS revoked (idempotent).
    private func revoke(_ disks: [CloudNativeSnapshot.Disk], steps: JournaledTask) async throws {
        let services = self.services
        try await steps.step("revoke-access", deadline: settings.stepDeadline) { _ in
            for disk in disks { try await services.snapshots.revoke(snapshot: disk) }
            return ["revoked": disks.map(\.snapshotName).joined(separator: ",")]
        }
    }

    /// Step 7: the worker back to its pool.
    private func release(_ worker: LaunchedWorker, steps: JournaledTask) async throws {
        let fleet = services.fleet
        try await steps.step("release-worker", deadline: settings.stepDeadline) { _ in
            await fleet.release(worker)
            return ["released": worker.vmName]
        }
    }

    /// The backup job of `set`, its SAS URLs and the repository's credentials sealed for the worker and job.
    static func backupJob(
        configuration: VMConfiguration,
        set: CloudNativeSnapshot,
        previous: CloudNativeSnapshot?,
        parent: RestorePointID?,
        urls: [String: String],
        target: Target,
        storage: StorageAccess,
        context: SealingContext
    ) throws -> BackupJob {
        var disks: [BackupDisk] = []
        for disk in set.disks {
            guard let slot = VMDescription.slot(disk.slot),
                let size = configuration.disks.first(where: { $0.slot == slot })?.sizeBytes,
                let url = urls[disk.snapshotName]
            else { throw ApplianceError.notFound("no SAS or size for the snapshot \(disk.snapshotName)") }
            let previousURL = previous?.disks.first { $0.slot == disk.slot }.flatMap { urls[$0.snapshotName] }
            disks.append(
                BackupDisk(
                    slot: slot,
                    sizeBytes: size,
                    snapshot: try context.seal(url, as: .snapshot(slot)),
                    previousSnapshot: try previousURL.map { try context.seal($0, as: .previousSnapshot(slot)) }
                )
            )
        }
        let sas = BlobSASBuilder(
            container: target.container,
            permissions: .repository,
            expiresOn: Date().addingTimeInterval(86_400)
        ).sign(with: storage.credential)
        var vm = configuration
        vm.snapshot = VMSnapshotReference(setID: set.taskID, taken: set.createdAt)
        return BackupJob(
            disks: disks,
            repository: RepositoryAccess(
                location: RepositoryLocation(
                    blobEndpoint: storage.blobEndpoint,
                    container: target.container,
                    prefix: target.prefix,
                    credential: .sas(try context.seal(sas.encoded, as: .credential(.repository)))
                ),
                password: try context.seal(target.password, as: .password(.repository))
            ),
            vm: vm,
            parent: parent
        )
    }
}
