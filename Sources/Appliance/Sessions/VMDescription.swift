import AzureKit
import BackupRepository
import Foundation
import Logging

/// Reads what a restore point records of a VM from ARM: its size, OS, zones, tags, network interfaces and disks.
public struct VMDescription: Sendable {
    /// The ARM client of the VM's subscription.
    public let arm: ARMClient
    let logger: Logger

    /// A reader over `arm`.
    public init(arm: ARMClient, logger: Logger) {
        self.arm = arm
        self.logger = logger
    }

    /// The configuration of the VM `vmResourceID`, with each disk's size and SKU read from the disk itself.
    /// - Throws: ``ApplianceError/notFound(_:)`` for a VM or disk that is gone, ``ApplianceError/invalidInput(_:)``
    ///   for a VM without managed disks.
    public func configuration(of vmResourceID: String) async throws -> VMConfiguration {
        guard let parts = ResourceIDParts(vmResourceID) else {
            throw ApplianceError.invalidInput("\"\(vmResourceID)\" is not a VM resource ID")
        }
        guard
            let vm = try await arm.virtualMachine(resourceGroup: parts.resourceGroup, name: parts.name, logger: logger)
        else { throw ApplianceError.notFound("VM \(parts.name) is not in resource group \(parts.resourceGroup)") }
        let layout = try VMDiskLayout(vm, vmName: parts.name)
        var disks: [VMDiskConfiguration] = []
        for entry in layout.entries {
            guard let slot = Self.slot(entry.slot), let diskParts = ResourceIDParts(entry.diskID) else {
                throw ApplianceError.invalidInput("VM \(parts.name) has a disk \(entry.diskID) Nimbus cannot name")
            }
            guard
                let disk = try await arm.disk(
                    resourceGroup: diskParts.resourceGroup,
                    name: diskParts.name,
                    logger: logger
                )
            else { throw ApplianceError.notFound("disk \(diskParts.name) of VM \(parts.name) is gone") }
            let size = disk.properties?.diskSizeBytes ?? Int64(disk.properties?.diskSizeGB ?? 0) << 30
            disks.append(
                VMDiskConfiguration(
                    slot: slot,
                    name: diskParts.name,
                    resourceID: disk.id ?? entry.diskID,
                    sizeBytes: size,
                    sku: disk.sku?.name ?? "Standard_LRS"
                )
            )
        }
        let storage = vm.properties?.storageProfile
        let osType: VMOSType = storage?["osDisk"]?["osType"]?.stringValue?.lowercased() == "windows" ? .windows : .linux
        var interfaces: [VMNetworkInterface] = []
        let references = vm.properties?.networkProfile?["networkInterfaces"]?.arrayValue ?? []
        for (index, reference) in references.enumerated() {
            guard let id = reference["id"]?.stringValue, let nicParts = ResourceIDParts(id) else { continue }
            let primary = reference["properties"]?["primary"]?.boolValue ?? (index == 0)
            let nic = try await arm.networkInterface(
                resourceGroup: nicParts.resourceGroup,
                name: nicParts.name,
                logger: logger
            )
            let configuration = nic?.properties?.ipConfigurations?.first?.properties
            interfaces.append(
                VMNetworkInterface(
                    resourceID: id,
                    subnetID: configuration?.subnet?.id ?? "",
                    primary: primary,
                    privateIPAddress: configuration?.privateIPAddress
                )
            )
        }
        return VMConfiguration(
            name: parts.name,
            resourceID: vm.id ?? vmResourceID,
            region: vm.location ?? "",
            size: vm.properties?.hardwareProfile?["vmSize"]?.stringValue ?? "",
            osType: osType,
            networkInterfaces: interfaces,
            tags: vm.tags ?? [:],
            disks: disks
        )
    }

    /// The repository's slot for a snapshot set's slot name (`os`, `lun<N>`).
    static func slot(_ name: String) -> VMDiskSlot? {
        if name == "os" { return .os }
        guard name.hasPrefix("lun"), let lun = Int(name.dropFirst(3)) else { return nil }
        return .data(lun: lun)
    }
}
