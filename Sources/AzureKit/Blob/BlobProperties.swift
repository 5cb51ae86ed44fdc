import Foundation
import NIOHTTP1

/// A blob's type.
public enum BlobType: String, Sendable, Hashable {
    /// A block blob.
    case blockBlob = "BlockBlob"
    /// A page blob.
    case pageBlob = "PageBlob"
    /// An append blob.
    case appendBlob = "AppendBlob"
}

/// A blob's properties, from Get Blob Properties, Get Blob or a listing.
public struct BlobProperties: Sendable, Equatable {
    /// The blob's size in bytes.
    public var contentLength: Int64
    /// The content type.
    public var contentType: String?
    /// The whole blob's stored MD5 (base64), if set.
    public var contentMD5: String?
    /// The entity tag (quoted in headers, as given).
    public var etag: String?
    /// When the blob was last modified.
    public var lastModified: Date?
    /// The blob type.
    public var blobType: BlobType?
    /// The access tier.
    public var accessTier: AccessTier?
    /// The archive status, e.g. `rehydrate-pending-to-hot`.
    public var archiveStatus: String?
    /// User metadata (`x-ms-meta-*`).
    public var metadata: [String: String]

    /// Creates properties.
    public init(
        contentLength: Int64,
        contentType: String? = nil,
        contentMD5: String? = nil,
        etag: String? = nil,
        lastModified: Date? = nil,
        blobType: BlobType? = nil,
        accessTier: AccessTier? = nil,
        archiveStatus: String? = nil,
        metadata: [String: String] = [:]
    ) {
        self.contentLength = contentLength
        self.contentType = contentType
        self.contentMD5 = contentMD5
        self.etag = etag
        self.lastModified = lastModified
        self.blobType = blobType
        self.accessTier = accessTier
        self.archiveStatus = archiveStatus
        self.metadata = metadata
    }

    /// Reads properties from response headers (`x-ms-blob-content-length` wins for page-range answers).
    ///
    /// A ranged Get Blob answer's `Content-MD5` covers only the returned range (when
    /// `x-ms-range-get-content-md5` was asked for); the whole blob's MD5 then comes in
    /// `x-ms-blob-content-md5` (Get Blob, "Response headers"), so only that one is taken.
    public init(headers: HTTPHeaders) {
        var length = headers.first(name: "x-ms-blob-content-length").flatMap { Int64($0) }
        let contentRange = headers.first(name: "content-range")
        if length == nil, let range = contentRange, let slash = range.lastIndex(of: "/") {
            length = Int64(range[range.index(after: slash)...])
        }
        let wholeMD5 =
            headers.first(name: "x-ms-blob-content-md5")
            ?? (contentRange == nil ? headers.first(name: "content-md5") : nil)
        var metadata: [String: String] = [:]
        for (name, value) in headers where name.lowercased().hasPrefix("x-ms-meta-") {
            metadata[String(name.dropFirst("x-ms-meta-".count))] = value
        }
        self.init(
            contentLength: length ?? headers.first(name: "content-length").flatMap { Int64($0) } ?? 0,
            contentType: headers.first(name: "content-type"),
            contentMD5: wholeMD5,
            etag: headers.first(name: "etag"),
            lastModified: headers.first(name: "last-modified").flatMap(AzureHTTPDate.parse),
            blobType: headers.first(name: "x-ms-blob-type").flatMap(BlobType.init(rawValue:)),
            accessTier: headers.first(name: "x-ms-access-tier").map(AccessTier.init(rawValue:)),
            archiveStatus: headers.first(name: "x-ms-archive-status"),
            metadata: metadata
        )
    }
}
