import Foundation

/// One cloud-native snapshot: the snapshots of every disk of a VM taken by one task, recognised as a unit by
/// their sealed tags.
public struct CloudNativeSnapshot: Sendable, Hashable {
    /// One disk's snapshot in the set.
    public struct Disk: Sendable, Hashable {
        /// `os`, or `lun<N>` for a data disk.
        public var slot: String
        /// The snapshot's name.
        public var snapshotName: String
        /// The snapshot's resource ID.
        public var snapshotID: String
        /// The resource group the snapshot is in.
        public var resourceGroup: String
        /// The resource ID of the disk it is a snapshot of.
        public var sourceDiskID: String
    }

    /// The VM the set is of.
    public var vmResourceID: String
    /// The VM's name.
    public var vmName: String
    /// The session that took it.
    public var sessionID: String
    /// The task that took it.
    public var taskID: String
    /// When it was taken.
    public var createdAt: Date
    /// Its disks, OS disk first, then data disks by LUN.
    public var disks: [Disk]
}

/// A snapshot whose sealed tags opened: what it is, and what its tags say.
struct OpenedSnapshot: Sendable {
    var disk: CloudNativeSnapshot.Disk
    var metadata: SnapshotMetadata

    /// Groups snapshots into sets (one per resource group, VM and task) and keeps the complete ones: every member
    /// agrees on the set's disk list, and every disk of that list is there, exactly once.
    static func completeSets(_ snapshots: [OpenedSnapshot]) -> [CloudNativeSnapshot] {
        let groups = Dictionary(grouping: snapshots) { snapshot in
            [
                snapshot.disk.resourceGroup.lowercased(), snapshot.metadata.vmResourceID.lowercased(),
                snapshot.metadata.taskID,
            ]
        }
        return groups.values.compactMap(completeSet).sorted { ($0.createdAt, $0.taskID) > ($1.createdAt, $1.taskID) }
    }

    private static func completeSet(_ members: [OpenedSnapshot]) -> CloudNativeSnapshot? {
        guard let first = members.first else { return nil }
        let list = first.metadata.members
        guard members.allSatisfy({ $0.metadata.members == list }), members.count == list.count else { return nil }
        var disks: [CloudNativeSnapshot.Disk] = []
        for entry in list {
            let matching = members.filter {
                $0.metadata.slot == entry.slot && $0.disk.snapshotName.lowercased() == entry.snapshotName.lowercased()
            }
            guard matching.count == 1 else { return nil }
            disks.append(matching[0].disk)
        }
        return CloudNativeSnapshot(
            vmResourceID: first.metadata.vmResourceID,
            vmName: first.metadata.vmName,
            sessionID: first.metadata.sessionID,
            taskID: first.metadata.taskID,
            createdAt: members.map(\.metadata.createdAt).min() ?? first.metadata.createdAt,
            disks: disks
        )
    }
}
