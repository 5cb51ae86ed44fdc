import AzureKit
import Foundation
import HTTPTypes
import Hummingbird

/// Creates, copies, snapshots and deletes managed disks and snapshots: their ARM resources and their page data.
struct DiskStorage {
    let disks: ManagedDisks
    let cloud: CloudServices

    /// The largest disk LocalCloud accepts: 32 TiB, as Azure.
    static let maximumSize: Int64 = 32 << 40

    /// Creates a disk resource and an empty volume of `sizeBytes` (plus the VHD footer page).
    func createDisk(
        id: String,
        location: String,
        sizeBytes: Int64,
        properties: Disk.Properties,
        sku: String,
        managedBy: String?,
        tags: AzureJSON? = nil,
        source: PageStore.SnapshotID? = nil
    ) async throws {
        let volume = try await storeCall("create the disk \(id)") {
            try disks.pages.createVolume(size: sizeBytes + Int64(VHDFooter.size), from: source)
        }
        let uniqueID = ProviderSupport.guid()
        try await writeFooter(volume, diskSize: sizeBytes, uniqueID: uniqueID)
        try await storeDisk(
            id: id,
            location: location,
            sizeBytes: sizeBytes,
            properties: properties,
            sku: sku,
            managedBy: managedBy,
            tags: tags,
            volume: volume,
            uniqueID: uniqueID,
            diskState: managedBy == nil ? "Unattached" : "Attached"
        )
    }

    /// Creates a disk in upload state: a volume of exactly `uploadSize` bytes (data plus the footer the client
    /// writes).
    func createUploadDisk(
        id: String,
        location: String,
        uploadSize: Int64,
        properties: Disk.Properties,
        sku: String,
        tags: AzureJSON?
    ) async throws {
        let volume = try await storeCall("create the disk \(id)") { try disks.pages.createVolume(size: uploadSize) }
        try await storeDisk(
            id: id,
            location: location,
            sizeBytes: uploadSize - Int64(VHDFooter.size),
            properties: properties,
            sku: sku,
            managedBy: nil,
            tags: tags,
            volume: volume,
            uniqueID: ProviderSupport.guid(),
            diskState: "ReadyToUpload"
        )
    }

    /// Creates a disk whose content starts as the disk or snapshot `source` (copy-on-write: nothing is copied).
    func createCopy(
        id: String,
        location: String,
        of source: StoredResource,
        sizeBytes requested: Int64?,
        properties: Disk.Properties,
        sku: String,
        tags: AzureJSON?
    ) async throws {
        let sourceSize = Int64(source.body["properties"]?["diskSizeBytes"]?.intValue ?? 0)
        let sizeBytes = max(requested ?? sourceSize, sourceSize)
        let base: PageStore.SnapshotID
        var temporary: PageStore.SnapshotID?
        if let snapshot = source.hidden["snapshot"]?.stringValue {
            base = PageStore.SnapshotID(snapshot)
        } else if let volume = source.hidden["volume"]?.stringValue {
            base = try await storeCall("snapshot \(source.id)") { try disks.pages.snapshot(PageStore.VolumeID(volume)) }
            temporary = base
        } else {
            throw ARMError(.conflict, "OperationNotAllowed", "The source \(source.id) has no data to copy.")
        }
        let volume = try await storeCall("create the disk \(id)") {
            try disks.pages.createVolume(size: sourceSize + Int64(VHDFooter.size), from: base)
        }
        if let temporary { _ = try? await FileIO.run { [disks] in try disks.pages.deleteSnapshot(temporary) } }
        let uniqueID = ProviderSupport.guid()
        if sizeBytes > sourceSize {
            try await storeCall("grow the disk \(id)") {
                try disks.pages.clear(volume, offset: sourceSize, length: Int64(VHDFooter.size))
                try disks.pages.resize(volume, to: sizeBytes + Int64(VHDFooter.size))
            }
            try await writeFooter(volume, diskSize: sizeBytes, uniqueID: uniqueID)
        }
        var properties = properties
        properties.creationData.sourceUniqueId = source.body["properties"]?["uniqueId"]?.stringValue
        properties.osType = properties.osType ?? source.body["properties"]?["osType"]?.stringValue
        properties.hyperVGeneration =
            properties.hyperVGeneration ?? source.body["properties"]?["hyperVGeneration"]?.stringValue
        try await storeDisk(
            id: id,
            location: location,
            sizeBytes: sizeBytes,
            properties: properties,
            sku: sku,
            managedBy: nil,
            tags: tags,
            volume: volume,
            uniqueID: uniqueID,
            diskState: "Unattached"
        )
    }

    /// Takes a copy-on-write snapshot of a disk (or shares the data of a snapshot) and stores the snapshot resource.
    func createSnapshot(
        id: String,
        location: String,
        of source: StoredResource,
        incremental: Bool,
        properties: Snapshot.Properties,
        sku: String?,
        tags: AzureJSON?
    ) async throws -> AzureJSON {
        let isDisk = ResourceIDs.isType(source.id, Disk.resourceType)
        let snapshot: PageStore.SnapshotID
        let family: String?
        if isDisk, let volume = source.hidden["volume"]?.stringValue {
            snapshot = try await storeCall("snapshot the disk \(source.id)") {
                try disks.pages.snapshot(PageStore.VolumeID(volume))
            }
            family = source.hidden["family"]?.stringValue
        } else if let existing = source.hidden["snapshot"]?.stringValue {
            snapshot = PageStore.SnapshotID(existing)
            family = source.hidden["family"]?.stringValue
        } else {
            throw ARMError(.conflict, "OperationNotAllowed", "The source \(source.id) has no data to snapshot.")
        }
        let sourceProperties = source.body["properties"]
        var properties = properties
        properties.creationData.sourceUniqueId = sourceProperties?["uniqueId"]?.stringValue
        properties.incremental = incremental
        properties.incrementalSnapshotFamilyId = incremental ? family : nil
        properties.diskSizeBytes = sourceProperties?["diskSizeBytes"]?.intValue.map(Int64.init)
        properties.diskSizeGB = sourceProperties?["diskSizeGB"]?.intValue
        properties.osType = sourceProperties?["osType"]?.stringValue
        properties.hyperVGeneration = sourceProperties?["hyperVGeneration"]?.stringValue
        properties.uniqueId = ProviderSupport.guid()
        properties.provisioningState = "Succeeded"
        properties.diskState = "Unattached"
        properties.timeCreated = ProviderSupport.timestamp()
        properties.networkAccessPolicy = properties.networkAccessPolicy ?? .allowAll
        properties.publicNetworkAccess = properties.publicNetworkAccess ?? "Enabled"
        properties.encryption = Disk.Encryption.platformKey
        properties.completionPercent = 100
        var model = Snapshot(location: location, properties: properties)
        model.id = id
        model.name = ResourceIDs.name(id)
        model.type = Snapshot.resourceType
        model.sku = DiskSku(name: sku ?? (incremental ? "Standard_LRS" : "Standard_LRS"))
        var body = try ModelCoding.value(model)
        body["tags"] = tags ?? .emptyObject
        let hidden: AzureJSON = [
            "snapshot": .string(snapshot.rawValue),
            "blobKey": .string(DiskAccessGrant.randomToken(length: 12)),
            "family": .string(family ?? ""),
            "grants": [],
        ]
        try await cloud.resources.put(StoredResource(id: id, body: body, hidden: hidden))
        return body
    }

    /// Deletes the page data of a disk or snapshot (its resource stays to the caller).
    func delete(_ stored: StoredResource) async throws {
        if let volume = stored.hidden["volume"]?.stringValue {
            try await storeCall("delete the data of \(stored.id)") {
                try disks.pages.deleteVolume(PageStore.VolumeID(volume))
            }
        }
        if let snapshot = stored.hidden["snapshot"]?.stringValue {
            let shared = cloud.resources.list { other in
                other.id.lowercased() != stored.id.lowercased() && other.hidden["snapshot"]?.stringValue == snapshot
            }
            if shared.isEmpty {
                try await storeCall("delete the data of \(stored.id)") {
                    try disks.pages.deleteSnapshot(PageStore.SnapshotID(snapshot))
                }
            }
        }
    }

    private func storeDisk(
        id: String,
        location: String,
        sizeBytes: Int64,
        properties: Disk.Properties,
        sku: String,
        managedBy: String?,
        tags: AzureJSON?,
        volume: PageStore.VolumeID,
        uniqueID: String,
        diskState: String
    ) async throws {
        var properties = properties
        properties.diskSizeBytes = sizeBytes
        properties.diskSizeGB = Int((sizeBytes + (1 << 30) - 1) >> 30)
        properties.uniqueId = uniqueID
        properties.provisioningState = "Succeeded"
        properties.diskState = diskState
        properties.timeCreated = ProviderSupport.timestamp()
        properties.networkAccessPolicy = properties.networkAccessPolicy ?? .allowAll
        properties.publicNetworkAccess = properties.publicNetworkAccess ?? "Enabled"
        properties.encryption = Disk.Encryption.platformKey
        var model = Disk(location: location, properties: properties)
        model.id = id
        model.name = ResourceIDs.name(id)
        model.type = Disk.resourceType
        model.sku = DiskSku(name: sku)
        model.managedBy = managedBy
        var body = try ModelCoding.value(model)
        body["tags"] = tags ?? .emptyObject
        let hidden: AzureJSON = [
            "volume": .string(volume.rawValue),
            "blobKey": .string(DiskAccessGrant.randomToken(length: 12)),
            "family": .string(ProviderSupport.guid()),
            "grants": [],
        ]
        try await cloud.resources.put(StoredResource(id: id, body: body, hidden: hidden))
    }

    private func writeFooter(_ volume: PageStore.VolumeID, diskSize: Int64, uniqueID: String) async throws {
        let idBytes = Array(UUID(uuidString: uniqueID).map { withUnsafeBytes(of: $0.uuid) { Array($0) } } ?? [])
        let footer = VHDFooter.make(diskSize: diskSize, uniqueID: idBytes)
        try await storeCall("write the footer of a disk") {
            try footer.withUnsafeBytes { try disks.pages.write(volume, offset: diskSize, bytes: $0) }
        }
    }

    /// Runs a page store call on ``FileIO`` (it blocks in file writes and fsync), turning its errors into ARM's.
    private func storeCall<T: Sendable>(_ what: String, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        do {
            return try await FileIO.run(body)
        } catch {
            throw ARMError(
                .internalServerError,
                "InternalDiskManagementError",
                "LocalCloud could not \(what): \(error)"
            )
        }
    }
}
