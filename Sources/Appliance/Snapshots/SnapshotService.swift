import AzureKit
import Foundation
import Logging

/// Takes, finds, keeps and exposes the cloud-native snapshots of VMs (the seed's step 1, and the SAS grants of
/// step 5).
///
/// Each disk snapshot carries the appliance's ownership tags, the session and task, and the set's metadata sealed
/// under the appliance's ``SnapshotTagKey`` (see ``SnapshotMetadata``). Names come from ``ResourceNames``, so a
/// task repeated after a restart finds the snapshots its first attempt took. Tags whose names start with `nimbus`
/// are never removed or changed, except by deleting the snapshot.
public struct SnapshotService: Sendable {
    /// The ARM client of the subscription the VMs and snapshots are in.
    public let arm: ARMClient
    /// The appliance the snapshots belong to.
    public let identity: ApplianceIdentity
    let key: SnapshotTagKey
    let logger: Logger
    let now: @Sendable () -> Date

    /// A service over `arm`, sealing tags under `tagKey`; `now` is the clock of the sets' creation times.
    public init(
        arm: ARMClient,
        identity: ApplianceIdentity,
        tagKey: SnapshotTagKey,
        logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.arm = arm
        self.identity = identity
        self.key = tagKey
        self.logger = logger
        self.now = now
    }

    var names: ResourceNames { ResourceNames(identity: identity) }

    // MARK: Taking a set

    /// Takes an incremental snapshot of every disk of the VM `vmResourceID` at once, in `resourceGroup`.
    ///
    /// Repeating the call for the same task reuses the snapshots already taken (found by name, checked by their
    /// sealed tags and source disk) and takes only the missing ones.
    /// - Throws: ``ApplianceError/notFound(_:)`` for a missing VM, ``ApplianceError/conflict(_:)`` when a snapshot
    ///   of that name exists but is not this task's, or the ARM error of a failed snapshot.
    public func snapshotVM(vmResourceID: String, resourceGroup: String, sessionID: String, taskID: String)
        async throws -> CloudNativeSnapshot
    {
        guard let vmParts = ResourceIDParts(vmResourceID) else {
            throw ApplianceError.invalidInput(
                "\"\(vmResourceID)\" is not a VM resource ID; give "
                    + "/subscriptions/SUB/resourceGroups/GROUP/providers/Microsoft.Compute/virtualMachines/NAME"
            )
        }
        guard vmParts.subscriptionID.lowercased() == arm.subscriptionID.lowercased() else {
            throw ApplianceError.invalidInput(
                "VM \(vmParts.name) is in subscription \(vmParts.subscriptionID); snapshot it with an ARM client "
                    + "of that subscription, not of \(arm.subscriptionID)"
            )
        }
        guard
            let vm = try await arm.virtualMachine(
                resourceGroup: vmParts.resourceGroup,
                name: vmParts.name,
                logger: logger
            )
        else {
            throw ApplianceError.notFound("VM \(vmParts.name) is not in resource group \(vmParts.resourceGroup)")
        }
        guard let location = vm.location else {
            throw ApplianceError.cloud("VM \(vmParts.name) has no location in its ARM model")
        }
        let layout = try VMDiskLayout(vm, vmName: vmParts.name)
        let members = layout.entries.map {
            SnapshotMetadata.Member(
                slot: $0.slot,
                snapshotName: names.snapshot(vmName: vmParts.name, disk: $0.slot, taskID: taskID)
            )
        }
        let base = SnapshotMetadata(
            vmResourceID: vm.id ?? vmResourceID,
            vmName: vmParts.name,
            sessionID: sessionID,
            taskID: taskID,
            slot: "",
            sourceDiskID: "",
            members: members,
            createdAt: now()
        )
        let log = Self.taskLogger(logger, vmName: vmParts.name, taskID: taskID)
        let opened = try await withThrowingTaskGroup(of: OpenedSnapshot.self) { group in
            for (entry, member) in zip(layout.entries, members) {
                let metadata = base.forDisk(slot: entry.slot, sourceDiskID: entry.diskID)
                group.addTask {
                    try await snapshotDisk(
                        metadata,
                        name: member.snapshotName,
                        resourceGroup: resourceGroup,
                        location: location,
                        logger: log
                    )
                }
            }
            return try await group.reduce(into: [OpenedSnapshot]()) { $0.append($1) }
        }
        guard let set = OpenedSnapshot.completeSets(opened).first else {
            throw ApplianceError.corrupt(
                "the snapshots of VM \(vmParts.name) for task \(taskID) do not form one set; delete them and retry"
            )
        }
        log.debug("snapshot.set.ready", metadata: ["snapshot.count": "\(set.disks.count)"])
        return set
    }

    /// `logger` with the VM and task in its metadata.
    private static func taskLogger(_ logger: Logger, vmName: String, taskID: String) -> Logger {
        var logger = logger
        logger[metadataKey: "vm.name"] = "\(vmName)"
        logger[metadataKey: "task.id"] = "\(taskID)"
        return logger
    }

    /// Takes (or finds) the snapshot of one disk.
    private func snapshotDisk(
        _ metadata: SnapshotMetadata,
        name: String,
        resourceGroup: String,
        location: String,
        logger: Logger
    ) async throws -> OpenedSnapshot {
        if let existing = try await arm.snapshot(resourceGroup: resourceGroup, name: name, logger: logger) {
            return try reuse(existing, name: name, resourceGroup: resourceGroup, expected: metadata, logger: logger)
        }
        var tags = ApplianceTags.owned(by: identity, role: .snapshot, region: location)
        tags[ApplianceTags.session] = metadata.sessionID
        tags[ApplianceTags.task] = metadata.taskID
        let sealed = try SealedSnapshotTags.seal(metadata, snapshotName: name, key: key)
        tags.merge(sealed) { _, piece in piece }
        let created = try await arm.createIncrementalSnapshot(
            resourceGroup: resourceGroup,
            name: name,
            location: location,
            diskID: metadata.sourceDiskID,
            tags: tags,
            logger: logger
        )
        logger.debug("snapshot.created", metadata: ["snapshot.name": "\(name)", "disk.slot": "\(metadata.slot)"])
        return OpenedSnapshot(
            disk: CloudNativeSnapshot.Disk(
                slot: metadata.slot,
                snapshotName: name,
                snapshotID: created.id ?? arm.snapshotPath(resourceGroup: resourceGroup, name: name),
                resourceGroup: resourceGroup,
                sourceDiskID: metadata.sourceDiskID
            ),
            metadata: metadata
        )
    }

    /// An existing snapshot of the right name: reused when it is this task's snapshot of the same disk.
    private func reuse(
        _ snapshot: Snapshot,
        name: String,
        resourceGroup: String,
        expected: SnapshotMetadata,
        logger: Logger
    ) throws(ApplianceError) -> OpenedSnapshot {
        let source = snapshot.properties?.creationData?.sourceResourceId ?? ""
        guard ApplianceTags.isOwned(snapshot.tags, by: identity),
            source.lowercased() == expected.sourceDiskID.lowercased(),
            let found = try? SealedSnapshotTags.open(snapshot.tags ?? [:], snapshotName: name, key: key),
            found.taskID == expected.taskID, found.slot == expected.slot,
            found.vmResourceID.lowercased() == expected.vmResourceID.lowercased()
        else {
            throw .conflict(
                "snapshot \(name) in resource group \(resourceGroup) exists but is not this appliance's snapshot of "
                    + "disk \(expected.slot) for task \(expected.taskID); delete or rename it, then retry"
            )
        }
        logger.debug("snapshot.reused", metadata: ["snapshot.name": "\(name)", "disk.slot": "\(expected.slot)"])
        return OpenedSnapshot(
            disk: CloudNativeSnapshot.Disk(
                slot: found.slot,
                snapshotName: name,
                snapshotID: snapshot.id ?? arm.snapshotPath(resourceGroup: resourceGroup, name: name),
                resourceGroup: resourceGroup,
                sourceDiskID: source
            ),
            metadata: found
        )
    }
}
