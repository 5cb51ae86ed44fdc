import BackupRepository
import Foundation
import GRDB

/// A VM the inventory found, kept (with ``deleted`` set) after it disappears so its restore points stay listed.
public struct InventoryVMRecord: CatalogRecord, Hashable, Identifiable {
    public static let databaseTableName = "vms"

    /// The VM's resource ID, as ARM spells it (compared case-insensitively).
    public var resourceID: String
    /// The account the VM was found through.
    public var accountID: UUID?
    /// The VM's name.
    public var name: String
    /// Its subscription.
    public var subscriptionID: String
    /// Its resource group.
    public var resourceGroup: String
    /// Its region (`westeurope`).
    public var region: String
    /// Its size (`Standard_D2s_v5`).
    public var size: String
    /// Its guest OS family.
    public var osType: VMOSType
    /// Its tags, as ARM returned them.
    public var tags: [String: String]
    /// Whether the last refresh no longer found it.
    public var deleted: Bool
    /// When a refresh first found it.
    public var firstSeen: Date
    /// When a refresh last found it.
    public var lastSeen: Date

    public var id: String { resourceID }

    /// A VM seen by a refresh.
    public init(
        resourceID: String,
        accountID: UUID? = nil,
        name: String,
        subscriptionID: String,
        resourceGroup: String,
        region: String,
        size: String,
        osType: VMOSType,
        tags: [String: String] = [:],
        deleted: Bool = false,
        firstSeen: Date,
        lastSeen: Date
    ) {
        self.resourceID = resourceID
        self.accountID = accountID
        self.name = name
        self.subscriptionID = subscriptionID
        self.resourceGroup = resourceGroup
        self.region = region
        self.size = size
        self.osType = osType
        self.tags = tags
        self.deleted = deleted
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
    }
}

/// A managed disk of an inventory VM.
public struct VMDiskRecord: CatalogRecord, Hashable {
    public static let databaseTableName = "vmDisks"

    /// The VM's resource ID.
    public var vmResourceID: String
    /// The OS disk, or a data disk's LUN (stored as `os` or the LUN in decimal).
    public var slot: VMDiskSlot
    /// The managed disk's resource ID.
    public var diskID: String
    /// Its size in bytes.
    public var sizeBytes: Int64
    /// Its SKU (`Premium_LRS`).
    public var sku: String

    /// A disk of `vmResourceID`.
    public init(vmResourceID: String, slot: VMDiskSlot, diskID: String, sizeBytes: Int64, sku: String) {
        self.vmResourceID = vmResourceID
        self.slot = slot
        self.diskID = diskID
        self.sizeBytes = sizeBytes
        self.sku = sku
    }
}
