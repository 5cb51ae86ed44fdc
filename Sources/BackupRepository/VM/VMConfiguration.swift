import Foundation

/// What a VM restore point records of the virtual machine it was taken from: enough to recreate the VM
/// elsewhere, or in place, from the repository alone.
///
/// Resource IDs are Azure resource IDs (`/subscriptions/…/providers/Microsoft.Compute/virtualMachines/web-01`).
/// Readers ignore fields they do not know, so later versions may add fields.
public struct VMConfiguration: Sendable, Hashable, Codable {
    /// The VM's name.
    public var name: String
    /// The VM's resource ID.
    public var resourceID: String
    /// The Azure region (`westeurope`).
    public var region: String
    /// The VM size (`Standard_D2s_v5`).
    public var size: String
    /// The guest operating system family.
    public var osType: VMOSType
    /// The availability zones the VM was pinned to; empty when none.
    public var zones: [String]
    /// The VM's network interfaces, primary first.
    public var networkInterfaces: [VMNetworkInterface]
    /// The VM's tags.
    public var tags: [String: String]
    /// The disks, OS disk first, then data disks by LUN.
    public var disks: [VMDiskConfiguration]
    /// The cloud-native snapshot the backup was read from, when there was one.
    public var snapshot: VMSnapshotReference?

    /// A configuration; `disks` is sorted OS disk first, then by LUN.
    public init(
        name: String,
        resourceID: String,
        region: String,
        size: String,
        osType: VMOSType,
        zones: [String] = [],
        networkInterfaces: [VMNetworkInterface] = [],
        tags: [String: String] = [:],
        disks: [VMDiskConfiguration],
        snapshot: VMSnapshotReference? = nil
    ) {
        self.name = name
        self.resourceID = resourceID
        self.region = region
        self.size = size
        self.osType = osType
        self.zones = zones
        self.networkInterfaces = networkInterfaces
        self.tags = tags
        self.disks = disks.sorted { $0.slot < $1.slot }
        self.snapshot = snapshot
    }
}

/// The guest operating system family of a VM.
public enum VMOSType: String, Sendable, Hashable, Codable {
    case linux = "Linux"
    case windows = "Windows"
}

/// Where a disk sits in a VM: the OS disk, or a data disk at a LUN.
public enum VMDiskSlot: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    case os
    case data(lun: Int)

    /// Parses `os` or a LUN (`0`, `1`, …), as the CLI's `--disk` takes it.
    public init?(_ text: String) {
        if text.lowercased() == "os" {
            self = .os
        } else if let lun = Int(text), (0...63).contains(lun) {
            self = .data(lun: lun)
        } else {
            return nil
        }
    }

    /// The LUN of a data disk; `nil` for the OS disk.
    public var lun: Int? {
        if case .data(let lun) = self { lun } else { nil }
    }

    /// `os`, or the LUN in decimal.
    public var description: String {
        switch self {
        case .os: "os"
        case .data(let lun): String(lun)
        }
    }

    public static func < (lhs: VMDiskSlot, rhs: VMDiskSlot) -> Bool {
        switch (lhs, rhs) {
        case (.os, .os): false
        case (.os, .data): true
        case (.data, .os): false
        case (.data(let a), .data(let b)): a < b
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let slot = VMDiskSlot(text) else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription: "disk slot \(text) is neither os nor a LUN 0…63"
                )
            )
        }
        self = slot
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// One managed disk of a VM, as it was when backed up.
public struct VMDiskConfiguration: Sendable, Hashable, Codable {
    /// The OS disk, or a data disk and its LUN.
    public var slot: VMDiskSlot
    /// The managed disk's name.
    public var name: String
    /// The managed disk's resource ID.
    public var resourceID: String
    /// The disk's size in bytes.
    public var sizeBytes: Int64
    /// The disk SKU (`Premium_LRS`, `StandardSSD_LRS`, …).
    public var sku: String
    /// The host caching mode (`None`, `ReadOnly`, `ReadWrite`), when set.
    public var caching: String?
    /// The snapshot of this disk the backup read, when there was one.
    public var snapshotResourceID: String?

    /// A disk's configuration.
    public init(
        slot: VMDiskSlot,
        name: String,
        resourceID: String,
        sizeBytes: Int64,
        sku: String,
        caching: String? = nil,
        snapshotResourceID: String? = nil
    ) {
        self.slot = slot
        self.name = name
        self.resourceID = resourceID
        self.sizeBytes = sizeBytes
        self.sku = sku
        self.caching = caching
        self.snapshotResourceID = snapshotResourceID
    }
}

/// A network interface of a VM and the subnet it was attached to.
public struct VMNetworkInterface: Sendable, Hashable, Codable {
    /// The NIC's resource ID.
    public var resourceID: String
    /// The subnet's resource ID.
    public var subnetID: String
    /// Whether it is the VM's primary NIC.
    public var primary: Bool
    /// The private IP address it had, when static or known.
    public var privateIPAddress: String?
    /// Whether it had a public IP address.
    public var hasPublicIP: Bool

    /// A NIC reference.
    public init(
        resourceID: String,
        subnetID: String,
        primary: Bool,
        privateIPAddress: String? = nil,
        hasPublicIP: Bool = false
    ) {
        self.resourceID = resourceID
        self.subnetID = subnetID
        self.primary = primary
        self.privateIPAddress = privateIPAddress
        self.hasPublicIP = hasPublicIP
    }
}

/// The cloud-native snapshot (the set of disk snapshots taken together) a VM backup was read from.
public struct VMSnapshotReference: Sendable, Hashable, Codable {
    /// The set's ID, as the appliance's snapshot tags name it.
    public var setID: String
    /// When the snapshots were taken.
    public var taken: Date

    /// A snapshot reference.
    public init(setID: String, taken: Date) {
        self.setID = setID
        self.taken = taken
    }
}
