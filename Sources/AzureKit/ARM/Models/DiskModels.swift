import Foundation
import NIOCore
import NIOHTTP1

/// How a disk or snapshot is created (`creationData`).
public struct DiskCreationData: Codable, Sendable, Hashable {
    /// `Empty`, `Copy`, `Upload`, `FromImage`, `Import`, ...
    public var createOption: String
    /// The source disk or snapshot for `Copy`.
    public var sourceResourceId: String?
    /// The source's unique ID (read-only; changes if a disk is recreated with the same name).
    public var sourceUniqueId: String?
    /// The size in bytes for `Upload` (including the 512-byte VHD footer).
    public var uploadSizeBytes: Int64?

    /// Creates creation data.
    public init(createOption: String, sourceResourceId: String? = nil, uploadSizeBytes: Int64? = nil) {
        self.createOption = createOption
        self.sourceResourceId = sourceResourceId
        self.uploadSizeBytes = uploadSizeBytes
    }
}

/// Properties of a managed disk or snapshot.
public struct DiskProperties: Codable, Sendable {
    /// How it was created.
    public var creationData: DiskCreationData?
    /// Size in GiB.
    public var diskSizeGB: Int?
    /// Size in bytes (read-only).
    public var diskSizeBytes: Int64?
    /// Whether a snapshot is incremental.
    public var incremental: Bool?
    /// The family shared by incremental snapshots of one disk; diffs work only within it.
    public var incrementalSnapshotFamilyId: String?
    /// Provisioning state.
    public var provisioningState: String?
    /// `Unattached`, `Attached`, `ReadyToUpload`, `ActiveUpload`, `ActiveSAS`, ...
    public var diskState: String?
    /// A unique ID (read-only).
    public var uniqueId: String?
    /// When it was created (ISO 8601).
    public var timeCreated: String?
    /// `AllowAll`, `AllowPrivate` or `DenyAll`.
    public var networkAccessPolicy: String?
    /// The disk access resource for `AllowPrivate`.
    public var diskAccessId: String?
    /// `Enabled` or `Disabled`.
    public var publicNetworkAccess: String?
    /// OS type, for OS disks.
    public var osType: String?

    /// Creates properties for a create request.
    public init(
        creationData: DiskCreationData,
        diskSizeGB: Int? = nil,
        incremental: Bool? = nil,
        networkAccessPolicy: String? = nil,
        diskAccessId: String? = nil,
        publicNetworkAccess: String? = nil
    ) {
        self.creationData = creationData
        self.diskSizeGB = diskSizeGB
        self.incremental = incremental
        self.networkAccessPolicy = networkAccessPolicy
        self.diskAccessId = diskAccessId
        self.publicNetworkAccess = publicNetworkAccess
    }
}

/// A managed disk.
public typealias Disk = ARMResource<DiskProperties>
/// A managed-disk snapshot.
public typealias Snapshot = ARMResource<DiskProperties>

/// The access a SAS grants to a disk or snapshot.
public enum DiskAccessLevel: String, Codable, Sendable {
    /// Read (export, backup).
    case read = "Read"
    /// Write (upload into a disk in `ReadyToUpload` state).
    case write = "Write"
}

/// The body of beginGetAccess.
struct GrantAccessData: Codable, Sendable {
    var access: DiskAccessLevel
    var durationInSeconds: Int
}

/// The result of beginGetAccess: the SAS URL of the disk's or snapshot's data.
public struct AccessURI: Codable, Sendable {
    /// The SAS URL (secret).
    public var accessSAS: String?
}
