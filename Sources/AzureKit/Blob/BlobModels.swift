import Foundation
import NIOCore
import NIOHTTP1

/// A blob access tier.
public struct AccessTier: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// Hot: frequent access.
    public static let hot = AccessTier(rawValue: "Hot")
    /// Cool: infrequent access, 30 days minimum.
    public static let cool = AccessTier(rawValue: "Cool")
    /// Cold: rare access, 90 days minimum.
    public static let cold = AccessTier(rawValue: "Cold")
    /// Archive: offline; reading needs rehydration.
    public static let archive = AccessTier(rawValue: "Archive")

    public var description: String { rawValue }
}

/// How quickly an archived blob is rehydrated.
public enum RehydratePriority: String, Sendable, Hashable {
    /// Standard priority (up to 15 hours).
    case standard = "Standard"
    /// High priority (under an hour for small blobs).
    case high = "High"
}

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
    public init(headers: HTTPHeaders) {
        var length = headers.first(name: "x-ms-blob-content-length").flatMap { Int64($0) }
        if length == nil, let range = headers.first(name: "content-range"), let slash = range.lastIndex(of: "/") {
            length = Int64(range[range.index(after: slash)...])
        }
        var metadata: [String: String] = [:]
        for (name, value) in headers where name.lowercased().hasPrefix("x-ms-meta-") {
            metadata[String(name.dropFirst("x-ms-meta-".count))] = value
        }
        self.init(
            contentLength: length ?? headers.first(name: "content-length").flatMap { Int64($0) } ?? 0,
            contentType: headers.first(name: "content-type"),
            contentMD5: headers.first(name: "x-ms-blob-content-md5") ?? headers.first(name: "content-md5"),
            etag: headers.first(name: "etag"),
            lastModified: headers.first(name: "last-modified").flatMap(AzureHTTPDate.parse),
            blobType: headers.first(name: "x-ms-blob-type").flatMap(BlobType.init(rawValue:)),
            accessTier: headers.first(name: "x-ms-access-tier").map(AccessTier.init(rawValue:)),
            archiveStatus: headers.first(name: "x-ms-archive-status"),
            metadata: metadata
        )
    }
}

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

/// An inclusive byte range of a page blob, 512-byte aligned.
public struct PageRange: Sendable, Hashable, CustomStringConvertible {
    /// The first byte.
    public var start: Int64
    /// The last byte (inclusive).
    public var end: Int64

    /// Creates a range.
    public init(start: Int64, end: Int64) {
        self.start = start
        self.end = end
    }

    /// The number of bytes.
    public var length: Int64 { end - start + 1 }

    public var description: String { "\(start)-\(end)" }
}

/// One entry of Get Page Ranges: data written (or changed since the previous snapshot), or cleared.
public enum PageRangeEntry: Sendable, Hashable {
    /// Pages holding data (with a diff: changed since the previous snapshot).
    case data(PageRange)
    /// Pages cleared since the previous snapshot (read as zeros).
    case cleared(PageRange)

    /// The range.
    public var range: PageRange {
        switch self {
        case .data(let range), .cleared(let range): range
        }
    }
}

/// The snapshot a page-range diff is computed against.
public enum PreviousSnapshot: Sendable, Equatable {
    /// A snapshot of the same blob, by its time (`prevsnapshot=`).
    case snapshot(String)
    /// A managed-disk snapshot's full SAS URL (`x-ms-previous-snapshot-url`).
    case url(String)
}

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
