import Foundation
import HTTPTypes
import Hummingbird

/// `Microsoft.Compute`: virtual machines (with Run Command and power actions), managed disks, incremental snapshots,
/// disk accesses and the platform image catalog (`locations/{region}/publishers/…`).
struct ComputeProvider: ARMResourceProvider {
    let namespace = "Microsoft.Compute"
    let resourceTypes = ["virtualMachines", "disks", "snapshots", "diskAccesses", "locations"]
    /// The running VMs' runtimes.
    let machines: VirtualMachineHost
    /// The disks' and snapshots' data.
    let disks: ManagedDisks

    func handle(_ request: ARMRequest, cloud: CloudServices) async throws -> ARMResponse {
        switch request.typeSegments[0].lowercased() {
        case "virtualmachines": return try await handleVirtualMachine(request, cloud: cloud)
        case "disks": return try await handleDisk(request, cloud: cloud)
        case "snapshots": return try await handleSnapshot(request, cloud: cloud)
        case "locations": return try handleImages(request, cloud: cloud)
        default: return try await handleDiskAccess(request, cloud: cloud)
        }
    }

    func deleteForResourceGroup(_ resource: StoredResource, cloud: CloudServices) async throws {
        if ResourceIDs.isType(resource.id, VirtualMachine.resourceType) {
            try await deleteVirtualMachine(resource, cloud: cloud)
        } else if ResourceIDs.isType(resource.id, Disk.resourceType) {
            try? await DiskStorage(disks: disks, cloud: cloud).delete(resource)
            try await cloud.resources.delete(resource.id)
        } else if ResourceIDs.isType(resource.id, Snapshot.resourceType) {
            try? await DiskStorage(disks: disks, cloud: cloud).delete(resource)
            try await cloud.resources.delete(resource.id)
        } else {
            try await cloud.resources.delete(resource.id)
        }
    }

    func restore(cloud: CloudServices) async throws {
        for vm in ProviderSupport.allResources(ofType: VirtualMachine.resourceType, cloud: cloud) {
            _ = try? machines.runtime(for: vm)
            await GuestNetwork.refresh(vm: vm, cloud: cloud)
        }
    }

    /// Ends the processes of every VM: they do not outlive the LocalCloud that runs them. Power states stay as
    /// stored, so a VM that was running is running again (without its old processes) after a restart. Disk data
    /// is flushed to disk.
    func shutdown(cloud: CloudServices) async {
        for vm in ProviderSupport.allResources(ofType: VirtualMachine.resourceType, cloud: cloud) {
            if let runtime = try? machines.runtime(for: vm) {
                await runtime.terminateGuestProcesses()
            }
        }
        let pages = disks.pages
        _ = try? await FileIO.run { pages.synchronize() }
    }

    /// 404 `NotFound` for a referenced resource, as Compute reports it.
    static func referenceNotFound(_ id: String, by resource: String) -> ARMError {
        ARMError(
            .notFound,
            "NotFound",
            "Resource \(id) referenced by \(resource) was not found; create it first or fix the ID."
        )
    }
}
