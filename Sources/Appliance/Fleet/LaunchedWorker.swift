import AzureKit
import WorkerProtocol

/// A worker VM the bootstrap launched (or started again), installed and answering on its queues.
public struct LaunchedWorker: Sendable, CustomStringConvertible {
    /// The worker's protocol ID (its VM's name).
    public var workerID: String
    /// The pool slot of the worker in its region.
    public var index: Int
    /// The region.
    public var region: String
    /// The resource group of the VM and its NIC.
    public var resourceGroup: String
    /// The VM's name.
    public var vmName: String
    /// The NIC's name.
    public var nicName: String
    /// The VM's size profile.
    public var profile: WorkerProfile
    /// The worker's key (new at every bootstrap; the appliance's catalog keeps it).
    public var key: WorkerKey
    /// The configuration written on the VM.
    public var configuration: WorkerConfiguration
    /// The worker files, as the bootstrap found or uploaded them.
    public var files: [UploadedWorkerFile]
    /// Whether this launch created the VM (`false`: it existed and was reused).
    public var createdVM: Bool
    /// Whether this launch started a stopped or deallocated VM.
    public var startedVM: Bool
    /// The worker's first heartbeat.
    public var heartbeat: Heartbeat
    /// The output of the install script's Run Command.
    public var installOutput: String

    /// The worker, its VM and key ID; no secret.
    public var description: String {
        "worker \(workerID) (VM \(resourceGroup)/\(vmName), \(profile), \(key))"
    }
}
