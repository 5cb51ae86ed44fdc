import AzureKit
import Foundation
import Logging

extension SnapshotService {
    /// Keeps the newest `keep` cloud-native snapshots of the VM `vmResourceID` in `resourceGroups` and deletes
    /// the rest, all disks of a set together; returns the deleted sets, newest first.
    ///
    /// `keep` is at least 1: the latest set is always kept, as the next incremental backup diffs against it.
    /// Incomplete sets are left to the janitor.
    public func applyRetention(vmResourceID: String, keep: Int, resourceGroups: [String]) async throws
        -> [CloudNativeSnapshot]
    {
        guard keep >= 1 else {
            throw ApplianceError.invalidInput(
                "snapshot retention must keep at least 1 cloud-native snapshot (the latest is needed for changed "
                    + "block tracking); got \(keep)"
            )
        }
        let sets = try await cloudNativeSnapshots(of: vmResourceID, resourceGroups: resourceGroups)
        let expired = Array(sets.dropFirst(keep))
        for set in expired {
            try await delete(set)
        }
        return expired
    }

    /// Deletes every disk snapshot of `set` at once.
    public func delete(_ set: CloudNativeSnapshot) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for disk in set.disks {
                group.addTask {
                    try await arm.deleteSnapshot(
                        resourceGroup: disk.resourceGroup,
                        name: disk.snapshotName,
                        logger: logger
                    )
                }
            }
            try await group.waitForAll()
        }
        logger.debug(
            "snapshot.set.deleted",
            metadata: ["task.id": "\(set.taskID)", "snapshot.count": "\(set.disks.count)"]
        )
    }
}
