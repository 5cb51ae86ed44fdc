import AzureKit
import Foundation
import Logging

extension SnapshotService {
    /// The complete cloud-native snapshots in `resourceGroups`, newest first.
    ///
    /// Snapshots without sealed metadata are not the appliance's and are skipped. Snapshots whose sealed tags do
    /// not open (tampered, truncated, sealed by another appliance or under another key, copied from another
    /// snapshot) are skipped with a warning naming them; a set missing a disk is not returned. A resource group
    /// that does not exist holds no sets.
    public func listSets(resourceGroups: [String]) async throws -> [CloudNativeSnapshot] {
        var opened: [OpenedSnapshot] = []
        for group in resourceGroups {
            opened += try await openedSnapshots(resourceGroup: group)
        }
        return OpenedSnapshot.completeSets(opened)
    }

    /// The complete cloud-native snapshots of the VM `vmResourceID` in `resourceGroups`, newest first.
    public func cloudNativeSnapshots(of vmResourceID: String, resourceGroups: [String]) async throws
        -> [CloudNativeSnapshot]
    {
        try await listSets(resourceGroups: resourceGroups).filter {
            $0.vmResourceID.lowercased() == vmResourceID.lowercased()
        }
    }

    /// The snapshots of `resourceGroup` whose sealed tags open under the appliance's key.
    func openedSnapshots(resourceGroup: String) async throws -> [OpenedSnapshot] {
        let snapshots: [Snapshot]
        do {
            snapshots = try await arm.listSnapshots(resourceGroup: resourceGroup, logger: logger).collect()
        } catch let error as AzureError where error.status == 404 {
            return []
        }
        return snapshots.compactMap { open($0, resourceGroup: resourceGroup) }
    }

    /// The snapshot with its sealed metadata, or `nil` (with a warning when it looked like one of ours).
    private func open(_ snapshot: Snapshot, resourceGroup: String) -> OpenedSnapshot? {
        guard let name = snapshot.name, SealedSnapshotTags.present(in: snapshot.tags) else { return nil }
        let source = snapshot.properties?.creationData?.sourceResourceId ?? ""
        do {
            let metadata = try SealedSnapshotTags.open(snapshot.tags ?? [:], snapshotName: name, key: key)
            guard ApplianceTags.isOwned(snapshot.tags, by: identity) else {
                throw ApplianceError.corrupt("snapshot \(name) opens but is not tagged with this appliance's ID")
            }
            guard source.lowercased() == metadata.sourceDiskID.lowercased() else {
                throw ApplianceError.corrupt(
                    "snapshot \(name) is of disk \(source), but its sealed metadata names \(metadata.sourceDiskID)"
                )
            }
            return OpenedSnapshot(
                disk: CloudNativeSnapshot.Disk(
                    slot: metadata.slot,
                    snapshotName: name,
                    snapshotID: snapshot.id ?? arm.snapshotPath(resourceGroup: resourceGroup, name: name),
                    resourceGroup: resourceGroup,
                    sourceDiskID: source
                ),
                metadata: metadata
            )
        } catch {
            logger.warning(
                "snapshot.tags.ignored",
                metadata: [
                    "snapshot.name": "\(name)", "snapshot.resource_group": "\(resourceGroup)",
                    "reason": "\(error)",
                ]
            )
            return nil
        }
    }
}
