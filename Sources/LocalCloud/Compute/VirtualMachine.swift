/// A virtual machine (`Microsoft.Compute/virtualMachines`) with the JSON shape Azure returns.
public struct VirtualMachine: Codable, Sendable, Equatable {
    /// `properties.hardwareProfile`.
    public struct HardwareProfile: Codable, Sendable, Equatable {
        /// The size, for example `Standard_D2s_v5`.
        public var vmSize: String?
    }

    /// A managed disk reference with its storage type.
    public struct ManagedDiskParameters: Codable, Sendable, Equatable {
        /// The disk's ARM ID.
        public var id: String?
        /// `Standard_LRS`, `StandardSSD_LRS`, `Premium_LRS`, …
        public var storageAccountType: String?
    }

    /// The OS disk.
    public struct OSDisk: Codable, Sendable, Equatable {
        /// `Linux`.
        public var osType: String?
        /// The disk's name.
        public var name: String?
        /// `FromImage` or `Attach`.
        public var createOption: String?
        /// `None`, `ReadOnly` or `ReadWrite`.
        public var caching: String?
        /// The managed disk.
        public var managedDisk: ManagedDiskParameters?
        /// `Delete` or `Detach`: what happens to the disk when the VM is deleted.
        public var deleteOption: String?
        /// The size in GiB.
        public var diskSizeGB: Int?
    }

    /// A data disk.
    public struct DataDisk: Codable, Sendable, Equatable {
        /// The logical unit number.
        public var lun: Int
        /// The disk's name.
        public var name: String?
        /// `Empty`, `Attach` or `FromImage`.
        public var createOption: String?
        /// `None`, `ReadOnly` or `ReadWrite`.
        public var caching: String?
        /// The managed disk.
        public var managedDisk: ManagedDiskParameters?
        /// `Delete` or `Detach`.
        public var deleteOption: String?
        /// The size in GiB (required for `Empty`).
        public var diskSizeGB: Int?
        /// Whether the disk is being detached.
        public var toBeDetached: Bool?
    }

    /// `properties.storageProfile`.
    public struct StorageProfile: Codable, Sendable, Equatable {
        /// The image the OS disk comes from.
        public var imageReference: ImageReference?
        /// The OS disk.
        public var osDisk: OSDisk?
        /// The data disks.
        public var dataDisks: [DataDisk]?
    }

    /// `osProfile.linuxConfiguration`.
    public struct LinuxConfiguration: Codable, Sendable, Equatable {
        /// SSH settings.
        public struct SSH: Codable, Sendable, Equatable {
            /// Authorized public keys.
            public var publicKeys: [PublicKey]?
        }

        /// One authorized key.
        public struct PublicKey: Codable, Sendable, Equatable {
            /// Where the key is written in the guest.
            public var path: String?
            /// The key.
            public var keyData: String?
        }

        /// Whether password login is off.
        public var disablePasswordAuthentication: Bool?
        /// SSH settings.
        public var ssh: SSH?
        /// Whether the VM agent is provisioned.
        public var provisionVMAgent: Bool?
    }

    /// `properties.osProfile`. The admin password and custom data are accepted but never returned, as on Azure.
    public struct OSProfile: Codable, Sendable, Equatable {
        /// The guest's host name.
        public var computerName: String?
        /// The admin user.
        public var adminUsername: String?
        /// The admin password (write-only).
        public var adminPassword: String?
        /// Base64 cloud-init data (write-only).
        public var customData: String?
        /// Linux settings.
        public var linuxConfiguration: LinuxConfiguration?
        /// Whether extensions may run.
        public var allowExtensionOperations: Bool?
        /// Whether secrets must be present.
        public var requireGuestProvisionSignal: Bool?
    }

    /// A NIC reference of the network profile.
    public struct NetworkInterfaceReference: Codable, Sendable, Equatable {
        /// Reference properties.
        public struct Properties: Codable, Sendable, Equatable {
            /// Whether this is the primary NIC.
            public var primary: Bool?
            /// `Delete` or `Detach`.
            public var deleteOption: String?
        }

        /// The NIC's ARM ID.
        public var id: String?
        /// The properties.
        public var properties: Properties?
    }

    /// `properties.networkProfile`.
    public struct NetworkProfile: Codable, Sendable, Equatable {
        /// The NICs.
        public var networkInterfaces: [NetworkInterfaceReference]?
    }

    /// `properties.instanceView` (with `$expand=instanceView`) and the body of `GET …/instanceView`.
    public struct InstanceView: Codable, Sendable, Equatable {
        /// The guest's host name.
        public var computerName: String?
        /// `Linux`.
        public var osName: String?
        /// The OS version.
        public var osVersion: String?
        /// `V1` or `V2`.
        public var hyperVGeneration: String?
        /// The VM agent's state.
        public var vmAgent: VMAgent?
        /// The disks and their states.
        public var disks: [DiskInstanceView]?
        /// Provisioning state then power state.
        public var statuses: [InstanceViewStatus]?
    }

    /// The VM agent as the instance view reports it.
    public struct VMAgent: Codable, Sendable, Equatable {
        /// The agent version.
        public var vmAgentVersion: String?
        /// The agent's statuses.
        public var statuses: [InstanceViewStatus]?
    }

    /// One disk in the instance view.
    public struct DiskInstanceView: Codable, Sendable, Equatable {
        /// The disk's name.
        public var name: String?
        /// The disk's statuses.
        public var statuses: [InstanceViewStatus]?
    }

    /// The VM's properties.
    public struct Properties: Codable, Sendable, Equatable {
        /// The size.
        public var hardwareProfile: HardwareProfile?
        /// The image and disks.
        public var storageProfile: StorageProfile?
        /// The guest settings.
        public var osProfile: OSProfile?
        /// The NICs.
        public var networkProfile: NetworkProfile?
        /// `Creating`, `Succeeded`, `Updating`, `Deleting`, `Failed`.
        public var provisioningState: String?
        /// A GUID of the VM.
        public var vmId: String?
        /// When the VM was created (ISO 8601).
        public var timeCreated: String?
        /// The instance view, when expanded.
        public var instanceView: InstanceView?
    }

    /// A managed identity.
    public struct Identity: Codable, Sendable, Equatable {
        /// `SystemAssigned`, `UserAssigned`, both, or `None`.
        public var type: String?
        /// The service principal's object ID.
        public var principalId: String?
        /// The tenant.
        public var tenantId: String?
    }

    /// The ARM ID.
    public var id: String?
    /// The name.
    public var name: String?
    /// `Microsoft.Compute/virtualMachines`.
    public var type: String?
    /// The region.
    public var location: String
    /// Tags.
    public var tags: [String: String]?
    /// The identity.
    public var identity: Identity?
    /// Availability zones.
    public var zones: [String]?
    /// The properties.
    public var properties: Properties?

    /// The resource type.
    public static let resourceType = "Microsoft.Compute/virtualMachines"

    /// The IDs of every managed disk the VM uses: OS disk first.
    public var managedDiskIds: [String] {
        var ids: [String] = []
        if let id = properties?.storageProfile?.osDisk?.managedDisk?.id { ids.append(id) }
        for disk in properties?.storageProfile?.dataDisks ?? [] {
            if let id = disk.managedDisk?.id { ids.append(id) }
        }
        return ids
    }

    /// The IDs of the VM's NICs, primary first.
    public var networkInterfaceIds: [String] {
        let references = properties?.networkProfile?.networkInterfaces ?? []
        let primaryFirst =
            references.filter { $0.properties?.primary == true }
            + references.filter { $0.properties?.primary != true }
        return primaryFirst.compactMap(\.id)
    }

    /// A copy without the write-only secrets (admin password, custom data), as Azure returns a VM.
    public var redacted: VirtualMachine {
        var copy = self
        copy.properties?.osProfile?.adminPassword = nil
        copy.properties?.osProfile?.customData = nil
        return copy
    }
}
