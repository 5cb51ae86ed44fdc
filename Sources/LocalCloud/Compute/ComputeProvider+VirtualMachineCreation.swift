import AzureKit
import Foundation
import HTTPTypes
import Hummingbird

extension ComputeProvider {
    func putVirtualMachine(_ request: ARMRequest, id: String, cloud: CloudServices) async throws -> ARMResponse {
        let location = try ProviderSupport.location(request.body, cloud: cloud)
        let tags = try ARMValidation.tags(request.body?["tags"])
        var vm = try ModelCoding.model(VirtualMachine.self, from: request.body, what: "a virtual machine")
        if let existing = cloud.resources.get(id) {
            guard existing.body["location"]?.stringValue == location else {
                throw ARMError(
                    .conflict,
                    "PropertyChangeNotAllowed",
                    "Changing property 'location' is not allowed for VM \(id).",
                    target: "location"
                )
            }
            let updated = try await cloud.resources.update(id) { stored in
                if let tags { stored.body["tags"] = tags }
                if let size = vm.properties?.hardwareProfile?.vmSize {
                    stored.body["properties"]?["hardwareProfile"] = ["vmSize": .string(size)]
                }
            }
            let operation = try await cloud.operations.completed(request, location: location, result: nil)
            return cloud.operations.accepted(
                operation,
                request: request,
                status: .ok,
                body: updated?.body,
                headers: .asyncOperation
            )
        }
        let name = ResourceIDs.name(id)
        var properties = vm.properties ?? VirtualMachine.Properties()
        var storage = properties.storageProfile ?? VirtualMachine.StorageProfile()
        let attachesOSDisk = storage.osDisk?.createOption?.lowercased() == "attach"
        let entry = try Self.imageEntry(storage, attachesOSDisk: attachesOSDisk, vmId: id)
        let interfaces = try checkedInterfaces(vm, id: id, location: location, cloud: cloud)
        let disks = DiskStorage(disks: self.disks, cloud: cloud)
        var created: [String] = []
        var attached: [DiskAttachment] = []
        do {
            var osDisk = storage.osDisk ?? VirtualMachine.OSDisk()
            let osDiskId: String
            if attachesOSDisk {
                osDiskId = try await attachOSDisk(
                    &osDisk,
                    vmId: id,
                    location: location,
                    cloud: cloud,
                    attached: &attached
                )
            } else if let entry {
                osDiskId = try await osDiskResource(
                    &osDisk,
                    vmId: id,
                    name: name,
                    location: location,
                    entry: entry,
                    disks: disks,
                    cloud: cloud,
                    created: &created
                )
            } else {
                throw Self.platformImageNotFound(storage)
            }
            osDisk.managedDisk = VirtualMachine.ManagedDiskParameters(
                id: osDiskId,
                storageAccountType: osDisk.managedDisk?.storageAccountType ?? "Premium_LRS"
            )
            storage.osDisk = osDisk
            var dataDisks = storage.dataDisks ?? []
            var luns: Set<Int> = []
            for index in dataDisks.indices {
                guard luns.insert(dataDisks[index].lun).inserted else {
                    throw ARMError.invalidParameter(
                        "storageProfile.dataDisks.lun",
                        "Two data disks of VM \(id) use LUN \(dataDisks[index].lun); each LUN must be unique."
                    )
                }
                try await dataDiskResource(
                    &dataDisks[index],
                    vmId: id,
                    name: name,
                    location: location,
                    disks: disks,
                    cloud: cloud,
                    created: &created,
                    attached: &attached
                )
            }
            storage.dataDisks = dataDisks
        } catch {
            for diskId in created {
                if let disk = cloud.resources.get(diskId) { _ = try? await disks.delete(disk) }
                _ = try? await cloud.resources.delete(diskId)
            }
            for attachment in attached.reversed() { await attachment.undo(cloud: cloud) }
            throw error
        }
        if let entry, var resolved = storage.imageReference {
            resolved.exactVersion = entry.exactVersion
            storage.imageReference = resolved
        }
        properties.storageProfile = storage
        properties.networkProfile = VirtualMachine.NetworkProfile(
            networkInterfaces: interfaces.enumerated().map { index, reference in
                var reference = reference
                var referenceProperties = reference.properties ?? VirtualMachine.NetworkInterfaceReference.Properties()
                referenceProperties.primary = referenceProperties.primary ?? (index == 0)
                reference.properties = referenceProperties
                return reference
            }
        )
        let vmId = ProviderSupport.guid()
        properties.provisioningState = "Succeeded"
        properties.vmId = vmId
        properties.timeCreated = ProviderSupport.timestamp()
        properties.instanceView = nil
        vm.properties = properties
        vm.id = id
        vm.name = name
        vm.type = VirtualMachine.resourceType
        vm.location = location
        var body = try ModelCoding.value(vm.redacted)
        if let tags { body["tags"] = tags }
        let root = cloud.dataDirectory.appendingPathComponent("vms").appendingPathComponent(vmId).path
        let stored = StoredResource(
            id: id,
            body: body,
            hidden: ["root": .string(root), "powerState": .string(PowerState.running.name)]
        )
        try await cloud.resources.put(stored)
        _ = try machines.runtime(for: stored)
        await GuestNetwork.refresh(vm: stored, cloud: cloud)
        let operation = try await cloud.operations.completed(request, location: location, result: nil)
        var response = body
        response["properties"]?["provisioningState"] = "Creating"
        return cloud.operations.accepted(
            operation,
            request: request,
            status: .created,
            body: response,
            headers: .asyncOperation
        )
    }

    private func checkedInterfaces(
        _ vm: VirtualMachine,
        id: String,
        location: String,
        cloud: CloudServices
    ) throws -> [VirtualMachine.NetworkInterfaceReference] {
        let references = vm.properties?.networkProfile?.networkInterfaces ?? []
        guard !references.isEmpty else {
            throw ARMError.invalidParameter(
                "networkProfile.networkInterfaces",
                "VM \(id) needs at least one network interface."
            )
        }
        for reference in references {
            guard let interfaceId = reference.id, let interface = cloud.resources.get(interfaceId),
                interface.body["location"]?.stringValue == location
            else {
                throw NetworkProvider.invalidReference(reference.id ?? "(none)", by: id)
            }
            if let user = NetworkProvider.virtualMachine(using: interfaceId, cloud: cloud),
                user.lowercased() != id.lowercased()
            {
                throw ARMError(
                    .badRequest,
                    "NicInUse",
                    "Network interface \(interfaceId) is used by VM \(user); a NIC can belong to one VM only."
                )
            }
        }
        return references
    }

    private func osDiskResource(
        _ osDisk: inout VirtualMachine.OSDisk,
        vmId: String,
        name: String,
        location: String,
        entry: ImageReference.CatalogEntry,
        disks: DiskStorage,
        cloud: CloudServices,
        created: inout [String]
    ) async throws -> String {
        osDisk.osType = "Linux"
        osDisk.caching = osDisk.caching ?? "ReadWrite"
        osDisk.deleteOption = osDisk.deleteOption ?? "Detach"
        osDisk.createOption = "FromImage"
        let diskName =
            osDisk.name ?? "\(name)_OsDisk_1_\(ProviderSupport.guid().replacingOccurrences(of: "-", with: ""))"
        osDisk.name = diskName
        let sizeGB = max(osDisk.diskSizeGB ?? entry.diskSizeGB, entry.diskSizeGB)
        osDisk.diskSizeGB = sizeGB
        let diskId = "\(ResourceIDs.parent(ResourceIDs.parent(vmId)))/providers/Microsoft.Compute/disks/\(diskName)"
        guard cloud.resources.get(diskId) == nil else {
            throw ARMError(
                .conflict,
                "Conflict",
                "A disk named \(diskName) already exists; name the OS disk otherwise."
            )
        }
        var creation = CreationData(createOption: "FromImage")
        let subscription = String(vmId.split(separator: "/").dropFirst().first ?? "")
        creation.imageReference = CreationData.ImageReferenceID(
            id: ImageScope(subscription: subscription, region: location).id(entry)
        )
        var properties = Disk.Properties(creationData: creation)
        properties.osType = "Linux"
        properties.hyperVGeneration = entry.generation
        try await disks.createDisk(
            id: diskId,
            location: location,
            sizeBytes: Int64(sizeGB) << 30,
            properties: properties,
            sku: osDisk.managedDisk?.storageAccountType ?? "Premium_LRS",
            managedBy: vmId
        )
        created.append(diskId)
        return diskId
    }

    private func dataDiskResource(
        _ dataDisk: inout VirtualMachine.DataDisk,
        vmId: String,
        name: String,
        location: String,
        disks: DiskStorage,
        cloud: CloudServices,
        created: inout [String],
        attached: inout [DiskAttachment]
    ) async throws {
        dataDisk.caching = dataDisk.caching ?? "None"
        dataDisk.deleteOption = dataDisk.deleteOption ?? "Detach"
        dataDisk.toBeDetached = false
        switch dataDisk.createOption?.lowercased() {
        case "attach":
            guard let diskId = dataDisk.managedDisk?.id else {
                throw ARMError.invalidParameter(
                    "storageProfile.dataDisks.managedDisk.id",
                    "Attaching the data disk at LUN \(dataDisk.lun) of VM \(vmId) needs the disk's ID."
                )
            }
            let attachment = try await attach(diskId, to: vmId, location: location, cloud: cloud)
            attached.append(attachment)
            dataDisk.createOption = "Attach"
            dataDisk.name = ResourceIDs.name(diskId)
            dataDisk.diskSizeGB = attachment.disk.body["properties"]?["diskSizeGB"]?.intValue
            dataDisk.managedDisk = VirtualMachine.ManagedDiskParameters(
                id: attachment.disk.id,
                storageAccountType: attachment.disk.body["sku"]?["name"]?.stringValue
                    ?? dataDisk.managedDisk?.storageAccountType
            )
        case "empty":
            guard let sizeGB = dataDisk.diskSizeGB, sizeGB > 0 else {
                throw ARMError.invalidParameter(
                    "storageProfile.dataDisks.diskSizeGB",
                    "The empty data disk at LUN \(dataDisk.lun) of VM \(vmId) needs diskSizeGB."
                )
            }
            let diskName = dataDisk.name ?? "\(name)_disk\(dataDisk.lun + 2)_\(ProviderSupport.guid().prefix(8))"
            let diskId = "\(ResourceIDs.parent(ResourceIDs.parent(vmId)))/providers/Microsoft.Compute/disks/\(diskName)"
            guard cloud.resources.get(diskId) == nil else {
                throw ARMError(
                    .conflict,
                    "Conflict",
                    "A disk named \(diskName) already exists; name the data disk otherwise."
                )
            }
            try await disks.createDisk(
                id: diskId,
                location: location,
                sizeBytes: Int64(sizeGB) << 30,
                properties: Disk.Properties(creationData: CreationData(createOption: "Empty")),
                sku: dataDisk.managedDisk?.storageAccountType ?? "Premium_LRS",
                managedBy: vmId
            )
            created.append(diskId)
            dataDisk.createOption = "Empty"
            dataDisk.name = diskName
            dataDisk.managedDisk = VirtualMachine.ManagedDiskParameters(
                id: diskId,
                storageAccountType: dataDisk.managedDisk?.storageAccountType ?? "Premium_LRS"
            )
        default:
            throw ARMError.invalidParameter(
                "storageProfile.dataDisks.createOption",
                "The data disk at LUN \(dataDisk.lun) of VM \(vmId) needs createOption Empty or Attach."
            )
        }
    }

    /// Marks an existing disk as used by a VM, after Azure's checks: the disk exists, is in the VM's region, is
    /// not attached to another VM and is not being exported or uploaded. Check and change are one step, so two VMs
    /// cannot both take the same disk.
    private func attach(_ diskId: String, to vmId: String, location: String, cloud: CloudServices) async throws
        -> DiskAttachment
    {
        var previous: (managedBy: AzureJSON?, diskState: AzureJSON?) = (nil, nil)
        let updated = try await cloud.resources.update(diskId) { stored in
            guard ResourceIDs.isType(stored.id, Disk.resourceType) else {
                throw ARMError.invalidParameter(
                    "managedDisk.id",
                    "\(diskId) is not a managed disk; attach a Microsoft.Compute/disks resource."
                )
            }
            guard stored.body["location"]?.stringValue == location else { throw ARMError.notInThisLocation() }
            if let owner = stored.body["managedBy"]?.stringValue, owner.lowercased() != vmId.lowercased() {
                throw ARMError(
                    .conflict,
                    "OperationNotAllowed",
                    "Disk \(diskId) is already attached to VM \(owner); detach it first."
                )
            }
            let state = stored.body["properties"]?["diskState"]?.stringValue ?? ""
            guard ["Unattached", "Attached", "Reserved"].contains(state) else {
                throw ARMError(
                    .conflict,
                    "OperationNotAllowed",
                    "Disk \(diskId) is in state \(state) and cannot be attached; end its access or upload first."
                )
            }
            previous = (stored.body["managedBy"], stored.body["properties"]?["diskState"])
            stored.body["managedBy"] = .string(vmId)
            stored.body["properties"]?["diskState"] = "Attached"
        }
        guard let updated else { throw Self.referenceNotFound(diskId, by: vmId) }
        return DiskAttachment(disk: updated, previousManagedBy: previous.managedBy, previousState: previous.diskState)
    }

    /// Attaches an existing disk as the OS disk (`createOption: Attach`), as VM restore does. The OS type comes
    /// from the request or, failing that, from the disk; one of them must name it.
    private func attachOSDisk(
        _ osDisk: inout VirtualMachine.OSDisk,
        vmId: String,
        location: String,
        cloud: CloudServices,
        attached: inout [DiskAttachment]
    ) async throws -> String {
        guard let diskId = osDisk.managedDisk?.id, !diskId.isEmpty else {
            throw ARMError.invalidParameter(
                "storageProfile.osDisk.managedDisk.id",
                "Attaching the OS disk of VM \(vmId) needs managedDisk.id, the ID of an existing disk."
            )
        }
        guard let disk = cloud.resources.get(diskId) else { throw Self.referenceNotFound(diskId, by: vmId) }
        guard let osType = osDisk.osType ?? disk.body["properties"]?["osType"]?.stringValue else {
            throw ARMError.invalidParameter(
                "osDisk.osType",
                "Required parameter 'osDisk.osType' is missing (null). Name Linux or Windows for disk \(diskId)."
            )
        }
        let attachment = try await attach(disk.id, to: vmId, location: location, cloud: cloud)
        attached.append(attachment)
        let properties = attachment.disk.body["properties"]
        osDisk.osType = osType
        osDisk.createOption = "Attach"
        osDisk.name = ResourceIDs.name(attachment.disk.id)
        osDisk.caching = osDisk.caching ?? "ReadWrite"
        osDisk.deleteOption = osDisk.deleteOption ?? "Detach"
        osDisk.diskSizeGB = properties?["diskSizeGB"]?.intValue
        let requestedType = osDisk.managedDisk?.storageAccountType
        osDisk.managedDisk?.storageAccountType = attachment.disk.body["sku"]?["name"]?.stringValue ?? requestedType
        return attachment.disk.id
    }

    /// The catalog entry of the VM's image, or `nil` when the OS disk is attached (which takes no image).
    static func imageEntry(_ storage: VirtualMachine.StorageProfile, attachesOSDisk: Bool, vmId: String) throws
        -> ImageReference.CatalogEntry?
    {
        if attachesOSDisk {
            guard storage.imageReference == nil else {
                throw ARMError.invalidParameter(
                    "storageProfile.imageReference",
                    "VM \(vmId) attaches an existing OS disk, so it takes no imageReference; remove it."
                )
            }
            return nil
        }
        guard let entry = storage.imageReference?.catalogEntry else { throw platformImageNotFound(storage) }
        return entry
    }

    /// 404 `PlatformImageNotFound` naming the images LocalCloud offers.
    static func platformImageNotFound(_ storage: VirtualMachine.StorageProfile) -> ARMError {
        ARMError(
            .notFound,
            "PlatformImageNotFound",
            "The platform image '\(storage.imageReference?.urn ?? "(none)")' is not available. Verify that all "
                + "fields in the storage profile are correct; LocalCloud offers "
                + "\(ImageReference.catalog.map(\.image.urn).joined(separator: ", ")), or attach an existing OS disk."
        )
    }

    /// Deletes a VM: ends its processes, removes its folder, deletes or detaches its disks and NICs by their
    /// `deleteOption`, and removes the resource.
    func deleteVirtualMachine(_ vm: StoredResource, cloud: CloudServices) async throws {
        if let runtime = try? machines.runtime(for: vm) { await runtime.delete() }
        machines.remove(vm.id)
        let model = try? ModelCoding.model(VirtualMachine.self, from: vm.body, what: "a virtual machine")
        let storage = model?.properties?.storageProfile
        var diskOptions: [(String, String?)] = []
        if let osDisk = storage?.osDisk, let id = osDisk.managedDisk?.id {
            diskOptions.append((id, osDisk.deleteOption))
        }
        for dataDisk in storage?.dataDisks ?? [] {
            if let id = dataDisk.managedDisk?.id { diskOptions.append((id, dataDisk.deleteOption)) }
        }
        let disks = DiskStorage(disks: self.disks, cloud: cloud)
        for (diskId, option) in diskOptions {
            guard let disk = cloud.resources.get(diskId) else { continue }
            if option?.lowercased() == "delete" {
                try? await disks.delete(disk)
                try await cloud.resources.delete(diskId)
            } else {
                try await cloud.resources.update(diskId) { stored in
                    stored.body["managedBy"] = nil
                    stored.body["properties"]?["diskState"] = "Unattached"
                }
            }
        }
        for reference in model?.properties?.networkProfile?.networkInterfaces ?? []
        where reference.properties?.deleteOption?.lowercased() == "delete" {
            if let interfaceId = reference.id { try await cloud.resources.delete(interfaceId) }
        }
        try await cloud.resources.delete(vm.id)
    }
}
