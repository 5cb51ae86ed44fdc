import AzureKit
import Foundation
import Logging
import WorkerProtocol

/// Launches a worker VM in a region's worker network and installs the worker on it.
///
/// The steps, each idempotent by the deterministic names of ``ResourceNames`` (a repeated launch finds what an
/// earlier one made):
/// 1. the queues (the worker's job queue and its poison queue, the appliance's reply queue and its poison queue)
///    and the overflow container, in the appliance's storage account;
/// 2. the worker files (``WorkerBinaries``): the `nimbus-worker` executable and the install script, checked by MD5;
/// 3. the NIC (in the worker subnet, no public IP) and an Ubuntu 22.04 LTS gen2 VM sized by its
///    ``WorkerProfile``, both tagged as the appliance's worker; a stopped or deallocated VM is started instead;
/// 4. a new worker key and the ``WorkerConfiguration`` (queue SAS URLs with least privilege: `pu` on the job
///    queue, `a` on the reply and poison queues, `rcw` on the overflow container), handed to the VM as a Run
///    Command parameter (never through a queue);
/// 5. Run Command runs ``InstallScript/runCommandStub``, which fetches and runs the install script;
/// 6. a ping, answered by the worker's first heartbeat before ``Settings/startupTimeout``.
public struct WorkerBootstrap: Sendable {
    /// Launch settings.
    public struct Settings: Sendable {
        /// How long the worker has, after Run Command returns, to answer its first ping.
        public var startupTimeout: Duration = .seconds(600)
        /// How long the worker's queue SAS tokens are valid (re-issued at every launch).
        public var credentialLifetime: Duration = .seconds(7 * 86_400)
        /// The VM's admin user (nobody logs in; the SSH key is thrown away).
        public var adminUsername = "nimbus"

        /// The defaults.
        public init() {}
    }

    /// The ARM client.
    public let arm: ARMClient
    /// The HTTP client of the storage calls.
    public let client: AzureClient
    /// The appliance.
    public let identity: ApplianceIdentity
    /// The appliance's storage account: queues and overflow container.
    public let messaging: StorageAccess
    /// The `nimbus-worker` executable to install.
    public let workerExecutable: String
    /// Settings.
    public var settings = Settings()
    /// Reply polling of the channels.
    public var channelSettings = WorkerChannel.Settings()

    /// A bootstrap.
    public init(
        arm: ARMClient,
        client: AzureClient,
        identity: ApplianceIdentity,
        messaging: StorageAccess,
        workerExecutable: String
    ) {
        self.arm = arm
        self.client = client
        self.identity = identity
        self.messaging = messaging
        self.workerExecutable = workerExecutable
    }

    /// The appliance's protocol ID: `appliance-` and its short ID (a VM resource ID is not a protocol ID).
    public var applianceID: String { "appliance-\(identity.shortID)" }

    /// The names of what the appliance creates.
    public var names: ResourceNames { ResourceNames(identity: identity) }

    /// The worker ID of pool slot `index` of `region`: its VM's name.
    public func workerID(region: String, index: Int) -> String { names.workerVM(region: region, index: index) }

    /// A channel to a launched worker.
    public func channel(to worker: LaunchedWorker) -> WorkerChannel {
        var channel = WorkerChannel(
            client: client,
            messaging: messaging,
            applianceID: applianceID,
            workerID: worker.workerID,
            key: worker.key
        )
        channel.settings = channelSettings
        return channel
    }

    /// Launches (or starts again) the worker of pool slot `index` in `network`, installs it and waits for its
    /// first heartbeat.
    /// - Throws: ``ApplianceError/cloud(_:)`` with the install script's output when it fails (an MD5 mismatch
    ///   among them), ``ApplianceError/timedOut(_:)`` when the worker does not answer in time, or the Azure error.
    public func launch(
        index: Int,
        network: WorkerNetwork,
        profile: WorkerProfile,
        now: Date = Date(),
        logger: Logger
    ) async throws -> LaunchedWorker {
        var logger = logger
        let workerID = workerID(region: network.region, index: index)
        logger[metadataKey: "worker.id"] = "\(workerID)"
        try await prepareMessaging(workerID: workerID, logger: logger)
        let files = try await WorkerBinaries(
            client: client,
            storage: network.storage,
            container: names.binariesContainer
        ).upload([.executable(workerExecutable), .installScript], now: now, logger: logger)
        return try await install(
            index: index,
            network: network,
            profile: profile,
            files: files,
            now: now,
            logger: logger
        )
    }

    /// Steps 3 to 6 of a launch, with worker files already uploaded (``WorkerBinaries/upload(_:now:logger:)``:
    /// the executable first, then the install script).
    public func install(
        index: Int,
        network: WorkerNetwork,
        profile: WorkerProfile,
        files: [UploadedWorkerFile],
        now: Date = Date(),
        logger: Logger
    ) async throws -> LaunchedWorker {
        guard let executable = files.first(where: { $0.blobName != InstallScript.blobName }),
            let script = files.first(where: { $0.blobName == InstallScript.blobName })
        else {
            throw ApplianceError.invalidInput(
                "a worker launch needs the nimbus-worker executable and the install script"
            )
        }
        let workerID = workerID(region: network.region, index: index)
        let vmName = workerID
        let nicName = names.workerNIC(vm: vmName)
        let (created, started) = try await ensureVM(
            vmName: vmName,
            nicName: nicName,
            network: network,
            profile: profile,
            logger: logger
        )
        let key = WorkerKey.generate()
        let configuration = try configuration(
            workerID: workerID,
            region: network.region,
            key: key,
            concurrency: profile.concurrency,
            now: now
        )
        let output = try await runInstall(
            vmName: vmName,
            resourceGroup: network.resourceGroup,
            executable: executable,
            script: script,
            configuration: configuration,
            logger: logger
        )
        var worker = LaunchedWorker(
            workerID: workerID,
            index: index,
            region: network.region,
            resourceGroup: network.resourceGroup,
            vmName: vmName,
            nicName: nicName,
            profile: profile,
            key: key,
            configuration: configuration,
            files: files,
            createdVM: created,
            startedVM: started,
            heartbeat: Heartbeat(runningJobs: [], concurrency: 0, uptimeSeconds: 0),
            installOutput: output
        )
        do {
            worker.heartbeat = try await channel(to: worker).ping(
                deadline: Date().addingTimeInterval(WorkerBinaries.seconds(settings.startupTimeout)),
                logger: logger
            )
        } catch let error as ApplianceError {
            throw ApplianceError.timedOut(
                "worker \(workerID) was installed but did not answer its first ping (\(error)); the install "
                    + "script said: \(output)"
            )
        }
        logger.info("Worker launched", metadata: ["worker.vm": "\(vmName)", "worker.created": "\(created)"])
        return worker
    }

    /// Creates the queues and the overflow container the worker and the appliance talk through.
    func prepareMessaging(workerID: String, logger: Logger) async throws {
        let queues = messaging.queues(client)
        for queue in [
            QueueNames.jobs(worker: workerID), QueueNames.jobsPoison(worker: workerID),
            QueueNames.replies(appliance: applianceID), QueueNames.repliesPoison(appliance: applianceID),
        ] {
            _ = try await queues.createQueue(queue, logger: logger)
        }
        _ = try await messaging.blobs(client).createContainer(QueueNames.overflowContainer, logger: logger)
    }

    /// Finds or creates the NIC and the VM, and starts the VM when it is not running.
    /// - Returns: Whether the VM was created, and whether it was started.
    func ensureVM(vmName: String, nicName: String, network: WorkerNetwork, profile: WorkerProfile, logger: Logger)
        async throws -> (created: Bool, started: Bool)
    {
        let group = network.resourceGroup
        let tags = ApplianceTags.owned(by: identity, role: .worker, region: network.region)
        if let vm = try await arm.virtualMachine(
            resourceGroup: group,
            name: vmName,
            expandInstanceView: true,
            logger: logger
        ) {
            guard ApplianceTags.isOwned(vm.tags, by: identity) else {
                throw ApplianceError.conflict(
                    "the VM \(group)/\(vmName) exists but is not tagged as this appliance's worker; "
                        + "remove it or use another resource group"
                )
            }
            let state = vm.properties?.instanceView?.powerState
            guard state != "running" else { return (false, false) }
            try await arm.startVirtualMachine(resourceGroup: group, name: vmName, logger: logger)
            return (false, true)
        }
        var nicID = try await arm.networkInterface(resourceGroup: group, name: nicName, logger: logger)?.id
        if nicID == nil {
            nicID =
                try await arm.createNetworkInterface(
                    resourceGroup: group,
                    name: nicName,
                    location: network.region,
                    subnetID: network.subnetID,
                    tags: tags,
                    logger: logger
                ).id
        }
        guard let nicID else { throw ApplianceError.cloud("the NIC \(group)/\(nicName) has no resource ID") }
        let properties = VirtualMachineProperties.linux(
            vmSize: profile.vmSize,
            computerName: vmName,
            adminUsername: settings.adminUsername,
            sshPublicKey: SSHKey.throwaway(comment: "nimbus-worker"),
            networkInterfaceID: nicID
        )
        try await arm.createVirtualMachine(
            resourceGroup: group,
            name: vmName,
            vm: VirtualMachine(location: network.region, tags: tags, properties: properties),
            logger: logger
        )
        return (true, false)
    }

    /// The worker's configuration file: its queues with least-privilege SAS tokens, and its key.
    func configuration(workerID: String, region: String, key: WorkerKey, concurrency: Int, now: Date) throws
        -> WorkerConfiguration
    {
        let expiry = now.addingTimeInterval(WorkerBinaries.seconds(settings.credentialLifetime))
        func queue(_ name: String, _ permissions: QueueSASPermissions) throws -> WorkerProtocol.SASURL {
            let sas = QueueSASBuilder(queue: name, permissions: permissions, expiresOn: expiry).sign(
                with: messaging.credential
            )
            return try sasURL(StorageAccess.url(messaging.queueEndpoint, name, sas: sas))
        }
        let overflow = BlobSASBuilder(
            container: QueueNames.overflowContainer,
            permissions: [.read, .create, .write],
            expiresOn: expiry
        ).sign(with: messaging.credential)
        return WorkerConfiguration(
            workerID: workerID,
            region: region,
            applianceID: applianceID,
            jobQueue: try queue(QueueNames.jobs(worker: workerID), [.process, .update]),
            replyQueue: try queue(QueueNames.replies(appliance: applianceID), .add),
            poisonQueue: try queue(QueueNames.jobsPoison(worker: workerID), .add),
            overflowContainer: try sasURL(
                StorageAccess.url(messaging.blobEndpoint, QueueNames.overflowContainer, sas: overflow)
            ),
            workerKey: key,
            concurrency: concurrency
        )
    }

    func sasURL(_ text: String) throws -> WorkerProtocol.SASURL {
        guard let url = WorkerProtocol.SASURL(text) else {
            throw ApplianceError.invalidInput(
                "the storage endpoint of \(messaging.accountName) does not give an https SAS URL; use its https endpoint"
            )
        }
        return url
    }

    /// Runs the install through Run Command and returns its output.
    /// - Throws: ``ApplianceError/cloud(_:)`` with the output when the script fails.
    func runInstall(
        vmName: String,
        resourceGroup: String,
        executable: UploadedWorkerFile,
        script: UploadedWorkerFile,
        configuration: WorkerConfiguration,
        logger: Logger
    ) async throws -> String {
        let input = RunCommandInput(
            script: InstallScript.runCommandStub,
            parameters: [
                RunCommandParameter(name: "NIMBUS_INSTALL_URL", value: script.readURL),
                RunCommandParameter(name: "NIMBUS_INSTALL_MD5", value: script.md5Hex),
                RunCommandParameter(name: "NIMBUS_WORKER_URL", value: executable.readURL),
                RunCommandParameter(name: "NIMBUS_WORKER_MD5", value: executable.md5Hex),
                RunCommandParameter(
                    name: "NIMBUS_WORKER_CONFIG",
                    value: try configuration.encoded().base64EncodedString()
                ),
            ]
        )
        let result: RunCommandResult
        do {
            result = try await arm.runCommand(resourceGroup: resourceGroup, name: vmName, input: input, logger: logger)
        } catch let error as AzureError {
            throw ApplianceError.cloud("Run Command of the worker install on VM \(vmName) failed: \(error)")
        }
        let failed = (result.value ?? []).contains { status in
            status.level == "Error" || (status.code ?? "").lowercased().contains("failed")
        }
        guard !failed else {
            throw ApplianceError.cloud(
                "the worker install on VM \(vmName) failed; the install script said: \(result.output)"
            )
        }
        return result.output
    }
}
