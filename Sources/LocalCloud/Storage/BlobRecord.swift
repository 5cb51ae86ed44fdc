import Foundation

/// The stored state of one blob (or one snapshot of it).
struct BlobRecord: Sendable, Codable {
    enum Kind: String, Sendable, Codable {
        case block = "BlockBlob"
        case page = "PageBlob"
        case append = "AppendBlob"
    }

    struct Block: Sendable, Codable, Hashable {
        var id: String
        var size: Int64
    }

    var name: String
    var kind: Kind
    var contentLength: Int64
    var contentType: String?
    var contentEncoding: String?
    var contentLanguage: String?
    var contentDisposition: String?
    var cacheControl: String?
    var contentMD5: String?
    var metadata: [String: String] = [:]
    var tags: [String: String] = [:]
    var etag: String
    var created: Date
    var lastModified: Date
    /// Set explicitly (`nil` means the account default, reported as inferred `Hot`).
    var accessTier: String?
    var tierChanged: Date?
    /// `rehydrate-pending-to-hot` etc. while rehydrating from Archive.
    var archiveStatus: String?
    var rehydrateAt: Date?
    var rehydrateTarget: String?
    /// The data file of a block or append blob (under the account's `data/`).
    var dataFile: String?
    var committedBlocks: [Block] = []
    /// The page-store volume of a page blob, or the page-store snapshot of a page blob snapshot.
    var pageVolume: String?
    var pageSnapshot: String?
    var sequenceNumber: Int64 = 0
    /// Set on snapshot records: the snapshot time as Azure formats it.
    var snapshotTime: String?
    var snapshots: [BlobRecord] = []

    /// A new ETag value (quoted in headers, bare in list XML).
    static func newETag() -> String {
        "0x8D" + String(UInt64.random(in: 0..<(1 << 52)), radix: 16, uppercase: true).leftPadded(to: 13)
    }

    /// Applies a due rehydration from Archive.
    mutating func settleRehydration(now: Date = Date()) {
        if let due = rehydrateAt, due <= now {
            accessTier = rehydrateTarget ?? "Hot"
            archiveStatus = nil
            rehydrateAt = nil
            rehydrateTarget = nil
            tierChanged = due
        }
    }

    var isArchived: Bool { accessTier == "Archive" }
}

/// A container and its blobs.
struct ContainerRecord: Sendable, Codable {
    var name: String
    var created: Date
    var lastModified: Date
    var etag: String
    var metadata: [String: String] = [:]
    var publicAccess: String?
}
