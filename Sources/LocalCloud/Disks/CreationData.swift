/// How a disk or snapshot was created: `properties.creationData`.
public struct CreationData: Codable, Sendable, Equatable {
    /// `Empty`, `Copy`, `Upload`, `FromImage` (others are not supported by LocalCloud).
    public var createOption: String
    /// The source disk or snapshot for `Copy`.
    public var sourceResourceId: String?
    /// The source's `uniqueId`, filled in by the service.
    public var sourceUniqueId: String?
    /// The size in bytes of the upload for `Upload` (the VHD size: data plus a 512-byte footer).
    public var uploadSizeBytes: Int64?
    /// The image for `FromImage` OS disks.
    public var imageReference: ImageReferenceID?
    /// The logical sector size in bytes (512 or 4096).
    public var logicalSectorSize: Int?

    /// Creates creation data.
    public init(createOption: String, sourceResourceId: String? = nil, uploadSizeBytes: Int64? = nil) {
        self.createOption = createOption
        self.sourceResourceId = sourceResourceId
        self.uploadSizeBytes = uploadSizeBytes
    }

    /// An image reference by ID, as disks created from an image report it.
    public struct ImageReferenceID: Codable, Sendable, Equatable {
        /// The platform image version's ARM-style ID.
        public var id: String?
    }
}
