import Foundation

/// A VM restore point as a listing shows it: the VM and its disks, without the disks' trees.
public struct VMRestorePointSummary: Sendable, Hashable, Codable {
    /// The restore point's ID.
    public var id: RestorePointID
    /// When the backup finished.
    public var created: Date
    /// The restore point it was made from, if any.
    public var parent: RestorePointID?
    /// The VM's configuration as backed up.
    public var vm: VMConfiguration
    /// The disks held, OS disk first.
    public var disks: [RestorePointDisk]
}

/// What a rescan of a repository's restore points found.
public struct VMRestorePointListing: Sendable, Hashable, Codable {
    /// The VM restore points, in the repository's restore-point order.
    public var restorePoints: [VMRestorePointSummary]
    /// Restore points without a VM configuration (disk-image backups), by ID.
    public var otherRestorePoints: [RestorePointID]
    /// Restore point objects that could not be read, by object key, with why: left out of the lists above.
    public var unreadable: [String: String]

    /// The VMs found, by resource ID, each with its restore points oldest first.
    public var byVM: [String: [VMRestorePointSummary]] {
        Dictionary(grouping: restorePoints) { $0.vm.resourceID }
    }
}

extension Repository {
    /// Lists the repository's VM restore points with their VM (name, resource ID, region, disks) from the
    /// restore point objects alone, reading no tree, index or pack: what an appliance needs to rebuild its
    /// catalog. A restore point that cannot be read (damaged, or written by a newer version) does not stop the
    /// listing: it is reported in ``VMRestorePointListing/unreadable``. Takes no lock.
    public func listVMRestorePoints() async throws -> VMRestorePointListing {
        var points: [RestorePoint] = []
        var unreadable: [String: String] = [:]
        for id in try await listRestorePointIDs() {
            do {
                points.append(try await restorePoint(id))
            } catch let error as RepositoryError where error.code != .io {
                // Forgotten meanwhile, damaged, or too new: note it and go on.
                unreadable[id.objectKey] = error.message
            }
        }
        var listing = VMRestorePointListing(restorePoints: [], otherRestorePoints: [], unreadable: unreadable)
        for point in points.inRestorePointOrder() {
            if let vm = point.vm {
                listing.restorePoints.append(
                    VMRestorePointSummary(
                        id: point.id,
                        created: point.created,
                        parent: point.parent,
                        vm: vm,
                        disks: point.disks
                    )
                )
            } else {
                listing.otherRestorePoints.append(point.id)
            }
        }
        return listing
    }
}
