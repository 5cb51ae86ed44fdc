/// A managed disk (`Microsoft.Compute/disks`) with the JSON shape Azure returns.
public struct Disk: Codable, Sendable, Equatable {
    /// The disk's properties.
    public struct Properties: Codable, Sendable, Equatable {
        /// How the disk was created.
        public var creationData: CreationData
        /// The size in GiB.
        public var diskSizeGB: Int?
        /// The size in bytes.
        public var diskSizeBytes: Int64?
        /// A GUID that changes when a disk is deleted and created again with the same name.
        public var uniqueId: String?
        /// `Succeeded` once created.
        public var provisioningState: String?
        /// `Unattached`, `Attached`, `ReadyToUpload`, `ActiveUpload`, `ActiveSAS`.
        public var diskState: String?
        /// When the disk was created (ISO 8601).
        public var timeCreated: String?
        /// `Linux` for OS disks.
        public var osType: String?
        /// `V1` or `V2` for OS disks.
        public var hyperVGeneration: String?
        /// Who may use a SAS of this disk.
        public var networkAccessPolicy: NetworkAccessPolicy?
        /// The disk access used with `AllowPrivate`.
        public var diskAccessId: String?
        /// `Enabled` or `Disabled`.
        public var publicNetworkAccess: String?
        /// The encryption settings Azure reports.
        public var encryption: Encryption?

        /// Creates properties.
        public init(creationData: CreationData) {
            self.creationData = creationData
        }
    }

    /// `properties.encryption`.
    public struct Encryption: Codable, Sendable, Equatable {
        /// `EncryptionAtRestWithPlatformKey` unless a customer key is used.
        public var type: String

        /// Platform-managed keys, the default.
        public static let platformKey = Encryption(type: "EncryptionAtRestWithPlatformKey")
    }

    /// The ARM ID.
    public var id: String?
    /// The name.
    public var name: String?
    /// `Microsoft.Compute/disks`.
    public var type: String?
    /// The region.
    public var location: String
    /// Tags.
    public var tags: [String: String]?
    /// The storage type.
    public var sku: DiskSku?
    /// The VM the disk is attached to.
    public var managedBy: String?
    /// Availability zones.
    public var zones: [String]?
    /// The properties.
    public var properties: Properties

    /// The resource type.
    public static let resourceType = "Microsoft.Compute/disks"

    /// Creates a disk.
    public init(location: String, properties: Properties) {
        self.location = location
        self.properties = properties
    }
}
