import AzureKit

/// The managed disks of a VM, read from its ARM model: the OS disk in slot `os`, data disks in `lun<N>`.
struct VMDiskLayout: Sendable {
    struct Entry: Sendable, Hashable {
        var slot: String
        var diskID: String
    }

    var entries: [Entry]

    /// The disks of `vm`, OS disk first, then data disks by LUN.
    init(_ vm: VirtualMachine, vmName: String) throws(ApplianceError) {
        let storage = vm.properties?.storageProfile
        guard let osDisk = storage?["osDisk"]?["managedDisk"]?["id"]?.stringValue, !osDisk.isEmpty else {
            throw .invalidInput("VM \(vmName) has no managed OS disk; only VMs on managed disks can be snapshotted")
        }
        var data: [(lun: Int, id: String)] = []
        for disk in storage?["dataDisks"]?.arrayValue ?? [] {
            guard let lun = disk["lun"]?.intValue, let id = disk["managedDisk"]?["id"]?.stringValue, !id.isEmpty
            else {
                throw .invalidInput(
                    "a data disk of VM \(vmName) has no LUN or is not a managed disk; only managed disks can be "
                        + "snapshotted"
                )
            }
            data.append((lun, id))
        }
        entries =
            [Entry(slot: "os", diskID: osDisk)]
            + data.sorted { $0.lun < $1.lun }.map { Entry(slot: "lun\($0.lun)", diskID: $0.id) }
    }
}
