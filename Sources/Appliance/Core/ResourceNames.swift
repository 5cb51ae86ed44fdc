/// The deterministic names of what the appliance creates.
///
/// A step that is repeated after a restart must find what its first attempt created, so every name is derived
/// from the appliance, the region, and the session and task, never from a clock or a random number.
public struct ResourceNames: Sendable, Hashable {
    /// The appliance the names belong to.
    public let identity: ApplianceIdentity

    /// Names for `identity`.
    public init(identity: ApplianceIdentity) {
        self.identity = identity
    }

    /// The resource group holding a region's worker network, storage account, endpoints and workers.
    public func workerResourceGroup(region: String) -> String { "nimbus-\(identity.shortID)-\(region)" }

    /// The worker virtual network of a region.
    public func workerNetwork(region: String) -> String { "nimbus-workers-\(region)" }

    /// The subnet of the worker network the workers and private endpoints are in.
    public var workerSubnet: String { "workers" }

    /// The region's storage account: `nb` + the appliance's short ID + six hex digits of the region (18
    /// characters, lowercase letters and digits, as storage account names must be).
    public func workerStorageAccount(region: String) -> String {
        "nb\(identity.shortID)\(ApplianceIdentity.digest(region.lowercased(), length: 6))"
    }

    /// The private endpoint of a storage account's service (`blob` or `queue`).
    public func privateEndpoint(account: String, service: String) -> String { "\(account)-\(service)-pe" }

    /// The disk access of a region.
    public func diskAccess(region: String) -> String { "nimbus-diskaccess-\(region)" }

    /// The private endpoint (`disks`) of a region's disk access.
    public func diskAccessEndpoint(region: String) -> String { "\(diskAccess(region: region))-pe" }

    /// The `index`-th worker VM of a region.
    public func workerVM(region: String, index: Int) -> String { "nimbus-worker-\(region)-\(index)" }

    /// The network interface of a worker VM.
    public func workerNIC(vm: String) -> String { "\(vm)-nic" }

    /// The container of the storage account that holds worker binaries and the install script.
    public var binariesContainer: String { "nimbus-worker-binaries" }

    /// The snapshot of one disk (`os` or a LUN) of `vmName`, taken by the task `taskID` of a session.
    ///
    /// Snapshot names are at most 80 characters; a long VM name is cut, the task digest keeps the name unique.
    public func snapshot(vmName: String, disk: String, taskID: String) -> String {
        let suffix = "-\(ApplianceIdentity.digest(taskID.lowercased(), length: 12))-\(disk)"
        return String(vmName.prefix(80 - suffix.count)) + suffix
    }
}
