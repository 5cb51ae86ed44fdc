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
    /// Write only over an existing blob (`If-Match`): an ETag, or `*` for whatever blob exists. When the
    /// condition fails the service answers 412 `ConditionNotMet` and writes nothing.
    public var ifMatch: String?
    /// The whole blob's MD5 (base64), stored as its `Content-MD5` property so whole downloads are
    /// verified. Put Block List sends it as `x-ms-blob-content-md5` (the service stores it without
    /// checking; each block's `Content-MD5` is checked); a streamed Put Blob sends it as `Content-MD5`
    /// (checked). ``BlobClient/upload(container:blob:data:options:blockSize:concurrency:logger:)`` fills it in.
    public var contentMD5: String?

    /// Creates options.
    public init(
        contentType: String = "application/octet-stream",
        accessTier: AccessTier? = nil,
        metadata: [String: String] = [:],
        createOnly: Bool = false,
        ifMatch: String? = nil,
        contentMD5: String? = nil
    ) {
        self.contentType = contentType
        self.accessTier = accessTier
        self.metadata = metadata
        self.createOnly = createOnly
        self.ifMatch = ifMatch
        self.contentMD5 = contentMD5
    }
}
