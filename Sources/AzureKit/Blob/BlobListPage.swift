/// One blob in a listing.
public struct BlobItem: Sendable, Equatable {
    /// The blob's name.
    public var name: String
    /// The snapshot time, for snapshot entries.
    public var snapshot: String?
    /// The blob's properties.
    public var properties: BlobProperties
}

/// One page of List Blobs: blobs, and with a delimiter the virtual directories (`BlobPrefix`).
public struct BlobListPage: Sendable {
    /// The blobs of this page.
    public var blobs: [BlobItem]
    /// The prefixes (virtual directories) of this page.
    public var prefixes: [String]
    /// The marker of the next page, or `nil`.
    public var nextMarker: String?
}
