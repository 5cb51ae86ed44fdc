import Foundation
import Logging
import NIOCore
import NIOHTTP1

extension BlobClient {
    /// One page of List Blobs.
    /// - Parameters:
    ///   - prefix: Only names beginning with this.
    ///   - delimiter: Groups names at this separator into ``BlobListPage/prefixes``.
    ///   - marker: The previous page's ``BlobListPage/nextMarker``.
    ///   - maxResults: At most this many entries (the service caps at 5,000).
    public func listBlobsPage(
        container: String,
        prefix: String? = nil,
        delimiter: String? = nil,
        marker: String? = nil,
        maxResults: Int? = nil,
        includeSnapshots: Bool = false,
        logger: Logger
    ) async throws -> BlobListPage {
        var query = [("restype", "container"), ("comp", "list")]
        if let prefix, !prefix.isEmpty { query.append(("prefix", prefix)) }
        if let delimiter { query.append(("delimiter", delimiter)) }
        if let marker { query.append(("marker", marker)) }
        if let maxResults { query.append(("maxresults", String(maxResults))) }
        if includeSnapshots { query.append(("include", "snapshots")) }
        let (_, body) = try await service.sendBuffered(
            service.request(.GET, [container], query: query),
            operation: "blob.list",
            logger: logger
        )
        return try Self.decodeBlobList(body)
    }

    /// Every blob under `prefix`, paged lazily (flat listing).
    public func listBlobs(container: String, prefix: String? = nil, pageSize: Int? = nil, logger: Logger)
        -> AzurePagedSequence<BlobItem>
    {
        let client = self
        return AzurePagedSequence { marker in
            let page = try await client.listBlobsPage(
                container: container,
                prefix: prefix,
                marker: marker,
                maxResults: pageSize,
                logger: logger
            )
            return AzurePage(elements: page.blobs, next: page.nextMarker)
        }
    }

    /// Decodes an `EnumerationResults` body of List Blobs.
    public static func decodeBlobList(_ body: [UInt8]) throws -> BlobListPage {
        let root = try AzureXMLParser.parse(body)
        guard root.name == "EnumerationResults" else {
            throw AzureError(
                .invalidResponse,
                message: "List Blobs returned <\(root.name)> instead of <EnumerationResults>."
            )
        }
        let blobsElement = root.child("Blobs")
        let blobs = try (blobsElement?.children(named: "Blob") ?? []).map { element -> BlobItem in
            guard let name = element.childText("Name") else {
                throw AzureError(.invalidResponse, message: "A <Blob> entry of List Blobs has no <Name>.")
            }
            let props = element.child("Properties")
            var metadata: [String: String] = [:]
            for entry in element.child("Metadata")?.children ?? [] { metadata[entry.name] = entry.text }
            let properties = BlobProperties(
                contentLength: props?.childText("Content-Length").flatMap { Int64($0) } ?? 0,
                contentType: props?.nonEmptyChildText("Content-Type"),
                contentMD5: props?.nonEmptyChildText("Content-MD5"),
                etag: props?.nonEmptyChildText("Etag"),
                lastModified: props?.childText("Last-Modified").flatMap(AzureHTTPDate.parse),
                blobType: props?.childText("BlobType").flatMap(BlobType.init(rawValue:)),
                accessTier: props?.nonEmptyChildText("AccessTier").map(AccessTier.init(rawValue:)),
                archiveStatus: props?.nonEmptyChildText("ArchiveStatus"),
                metadata: metadata
            )
            return BlobItem(name: name, snapshot: element.nonEmptyChildText("Snapshot"), properties: properties)
        }
        let prefixes = (blobsElement?.children(named: "BlobPrefix") ?? []).compactMap { $0.childText("Name") }
        return BlobListPage(blobs: blobs, prefixes: prefixes, nextMarker: root.nonEmptyChildText("NextMarker"))
    }
}
