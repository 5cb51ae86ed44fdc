/// Options for uploads.
public struct BlobUploadOptions: Sendable {
    /// The content type stored with the blob. Default `application/octet-stream`.
    public var contentType: String = "application/octet-stream"
    /// The access tier to set at upload.
    public var accessTier: AccessTier?
    /// User metadata.
    public var metadata: [String: String] = [:]
    /// Fail with 409 `BlobAlreadyExists` if the blob exists (`If-None-Match: *`).
    public var createOnly: Bool = false

    /// Creates options.
    public init(
        contentType: String = "application/octet-stream",
        accessTier: AccessTier? = nil,
        metadata: [String: String] = [:],
        createOnly: Bool = false
    ) {
        self.contentType = contentType
        self.accessTier = accessTier
        self.metadata = metadata
        self.createOnly = createOnly
    }
}
