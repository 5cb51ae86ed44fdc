/// A managed-disk snapshot (`Microsoft.Compute/snapshots`) with the JSON shape Azure returns.
public struct Snapshot: Codable, Sendable, Equatable {
    /// The snapshot's properties.
    public struct Properties: Codable, Sendable, Equatable {
        /// How the snapshot was created (`Copy` from a disk).
        public var creationData: CreationData
        /// Whether the snapshot is incremental.
        public var incremental: Bool?
        /// Snapshots of one disk share this ID; page-range diffs work only inside one family.
        public var incrementalSnapshotFamilyId: String?
        /// The size in GiB.
        public var diskSizeGB: Int?
        /// The size in bytes.
        public var diskSizeBytes: Int64?
        /// A GUID of this snapshot.
        public var uniqueId: String?
        /// `Succeeded` once created.
        public var provisioningState: String?
        /// `Unattached`, or `ActiveSAS` while a SAS is granted.
        public var diskState: String?
        /// When the snapshot was taken (ISO 8601).
        public var timeCreated: String?
        /// The source's OS type.
        public var osType: String?
        /// The source's VM generation.
        public var hyperVGeneration: String?
        /// Who may use a SAS of this snapshot.
        public var networkAccessPolicy: NetworkAccessPolicy?
        /// The disk access used with `AllowPrivate`.
        public var diskAccessId: String?
        /// `Enabled` or `Disabled`.
        public var publicNetworkAccess: String?
        /// The encryption settings Azure reports.
        public var encryption: Disk.Encryption?
        /// 100 once the snapshot's data is complete.
        public var completionPercent: Double?

        /// Creates properties.
        public init(creationData: CreationData) {
            self.creationData = creationData
        }
    }

    /// The ARM ID.
    public var id: String?
    /// The name.
    public var name: String?
    /// `Microsoft.Compute/snapshots`.
    public var type: String?
    /// The region.
    public var location: String
    /// Tags.
    public var tags: [String: String]?
    /// The storage type.
    public var sku: DiskSku?
    /// The properties.
    public var properties: Properties

    /// The resource type.
    public static let resourceType = "Microsoft.Compute/snapshots"

    /// Creates a snapshot.
    public init(location: String, properties: Properties) {
        self.location = location
        self.properties = properties
    }
}
