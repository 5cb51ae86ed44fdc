import AzureKit
import Logging

/// Makes snapshots readable from the worker network only (the seed's step 4, for VMs in the appliance's own
/// subscription): the region's disk access, its `disks` private endpoint in the worker subnet, and the snapshots'
/// association with it (`networkAccessPolicy: AllowPrivate`, `diskAccessId`).
public struct DiskAccessManager: Sendable {
    private let provisioner: RegionalProvisioner

    /// A manager in the subscription of `arm`, owned by `identity`.
    public init(arm: ARMClient, identity: ApplianceIdentity, logger: Logger) {
        self.provisioner = RegionalProvisioner(arm: arm, identity: identity, logger: logger)
    }

    /// Whether step 4 applies to the VM `vmResourceID`: it is in the appliance's subscription.
    public func applies(to vmResourceID: String) -> Bool {
        ResourceIDParts(vmResourceID)?.subscriptionID.lowercased() == provisioner.identity.subscriptionID.lowercased()
    }

    /// The disk access of `network`'s region and its private endpoint, created where missing.
    /// - Throws: ``ApplianceError/conflict(_:)`` when a resource of one of the names exists without the
    ///   appliance's tag, or the ARM error of a failed step.
    public func prepare(in network: RegionalNetwork) async throws -> RegionalDiskAccess {
        let arm = provisioner.arm
        let logger = provisioner.logger
        let names = provisioner.names
        let group = network.resourceGroup
        let name = names.diskAccess(region: network.region)
        var access = try await arm.diskAccess(resourceGroup: group, name: name, logger: logger)
        if let existing = access {
            try provisioner.checkOwned(existing.tags, kind: "disk access", name: name)
        } else {
            access = try await arm.createDiskAccess(
                resourceGroup: group,
                name: name,
                location: network.region,
                tags: provisioner.tags(.diskAccess, region: network.region),
                logger: logger
            )
            logger.info(
                "infrastructure.created",
                metadata: ["resource.kind": "disk access", "resource.name": "\(name)"]
            )
        }
        let accessID = access?.id ?? arm.diskAccessPath(resourceGroup: group, name: name)
        let endpoint = try await provisioner.privateEndpoint(
            group: group,
            region: network.region,
            subnetID: network.subnetID,
            target: accessID,
            service: "disks",
            name: names.diskAccessEndpoint(region: network.region),
            logger: logger
        )
        return RegionalDiskAccess(
            region: network.region,
            diskAccessID: accessID,
            privateEndpointID: endpoint.id,
            privateAddress: endpoint.address
        )
    }

    /// Associates every disk snapshot of `set` with `access`, so that their SAS URLs work only through its private
    /// endpoint. Safe to repeat.
    /// - Throws: ``ApplianceError/invalidInput(_:)`` for a snapshot outside the appliance's subscription (step 4
    ///   does not apply to it), or the ARM error of a failed update.
    public func associate(_ set: CloudNativeSnapshot, with access: RegionalDiskAccess) async throws {
        let arm = provisioner.arm
        let logger = provisioner.logger
        let subscription = provisioner.identity.subscriptionID.lowercased()
        if let outside = set.disks.first(where: {
            ResourceIDParts($0.snapshotID)?.subscriptionID.lowercased() != subscription
        }) {
            throw ApplianceError.invalidInput(
                "snapshot \(outside.snapshotName) is not in the appliance's subscription "
                    + "\(provisioner.identity.subscriptionID); disk access applies to that subscription only"
            )
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for disk in set.disks {
                group.addTask {
                    _ = try await arm.updateSnapshotNetworkAccess(
                        resourceGroup: disk.resourceGroup,
                        name: disk.snapshotName,
                        policy: "AllowPrivate",
                        diskAccessID: access.diskAccessID,
                        logger: logger
                    )
                }
            }
            try await group.waitForAll()
        }
        logger.debug("snapshot.set.private", metadata: ["task.id": "\(set.taskID)", "region": "\(access.region)"])
    }
}
