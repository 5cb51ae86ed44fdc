import AzureKit

/// An existing disk a VM being created has taken, with what it said before, so a failed creation can give it back.
struct DiskAttachment: Sendable {
    /// The disk as stored after attaching.
    let disk: StoredResource
    /// Its `managedBy` before.
    let previousManagedBy: AzureJSON?
    /// Its `properties.diskState` before.
    let previousState: AzureJSON?

    /// Restores `managedBy` and `diskState` as they were (best effort: the creation is failing anyway).
    func undo(cloud: CloudServices) async {
        _ = try? await cloud.resources.update(disk.id) { stored in
            stored.body["managedBy"] = previousManagedBy
            stored.body["properties"]?["diskState"] = previousState
        }
    }
}
