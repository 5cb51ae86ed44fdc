import Foundation
import Logging
import NIOCore
import NIOHTTP1

extension BlobClient {
    /// The page size of page blobs.
    public static let pageSize: Int64 = 512
    /// The largest Put Page body.
    public static let maxPutPageBytes = 4 * 1024 * 1024

    /// Creates (or replaces) an empty page blob of `size` bytes (a multiple of 512).
    public func createPageBlob(
        container: String,
        blob: String,
        size: Int64,
        options: BlobUploadOptions = BlobUploadOptions(),
        logger: Logger
    ) async throws {
        guard size >= 0, size % Self.pageSize == 0 else {
            throw AzureError(
                .invalidRequest,
                message: "Page blob \(container)/\(blob) must have a size that is a multiple of 512 bytes, not \(size).",
            )
        }
        var headers = uploadHeaders(options)
        headers.add(name: "x-ms-blob-type", value: BlobType.pageBlob.rawValue)
        headers.add(name: "x-ms-blob-content-length", value: String(size))
        headers.add(name: "x-ms-blob-content-type", value: options.contentType)
        let request = service.request(.PUT, [container, blob], headers: headers)
        _ = try await service.sendBuffered(request, operation: "blob.page.create", logger: logger)
    }

    /// Writes `data` at `offset` (Put Page, update); both 512-aligned, at most 4 MiB, with `Content-MD5`.
    public func putPages(container: String, blob: String, offset: Int64, data: ByteBuffer, logger: Logger) async throws
    {
        let range = try checkedPageRange(
            container: container,
            blob: blob,
            offset: offset,
            length: Int64(data.readableBytes)
        )
        guard data.readableBytes <= Self.maxPutPageBytes else {
            throw AzureError(
                .invalidRequest,
                message:
                    "Put Page to \(container)/\(blob) sends \(data.readableBytes) bytes; the limit is 4 MiB per call.",
            )
        }
        var headers = HTTPHeaders()
        headers.add(name: "x-ms-page-write", value: "update")
        headers.add(name: "x-ms-range", value: "bytes=\(range.start)-\(range.end)")
        headers.add(name: "Content-MD5", value: Self.md5Base64(data))
        let request = service.request(
            .PUT,
            [container, blob],
            query: [("comp", "page")],
            headers: headers,
            body: AzureHTTPBody(buffer: data)
        )
        _ = try await service.sendBuffered(request, operation: "blob.page.put", logger: logger)
    }

    /// Clears (zeroes and deallocates) `length` bytes at `offset` (Put Page, clear); 512-aligned.
    public func clearPages(container: String, blob: String, offset: Int64, length: Int64, logger: Logger) async throws {
        let range = try checkedPageRange(container: container, blob: blob, offset: offset, length: length)
        var headers = HTTPHeaders()
        headers.add(name: "x-ms-page-write", value: "clear")
        headers.add(name: "x-ms-range", value: "bytes=\(range.start)-\(range.end)")
        let request = service.request(.PUT, [container, blob], query: [("comp", "page")], headers: headers)
        _ = try await service.sendBuffered(request, operation: "blob.page.clear", logger: logger)
    }

    func checkedPageRange(container: String, blob: String, offset: Int64, length: Int64) throws -> PageRange {
        guard offset >= 0, length > 0, offset % Self.pageSize == 0, length % Self.pageSize == 0 else {
            throw AzureError(
                .invalidRequest,
                message: "Page range at \(offset) of \(length) bytes in \(container)/\(blob) is not 512-byte aligned.",
            )
        }
        return PageRange(start: offset, end: offset + length - 1)
    }

    /// One page of Get Page Ranges: written pages, or with `previous` the pages changed (data) and
    /// cleared since that snapshot.
    /// - Parameters:
    ///   - snapshot: List a snapshot of the blob instead of the base blob.
    ///   - previous: Diff against an earlier snapshot (`prevsnapshot`) or a managed-disk snapshot URL
    ///     (`x-ms-previous-snapshot-url`).
    ///   - range: Limit the listing to this window (512-aligned).
    ///   - marker: The previous page's marker.
    ///   - maxResults: At most this many ranges (the service caps at 10,000).
    public func pageRangesPage(
        container: String,
        blob: String,
        snapshot: String? = nil,
        previous: PreviousSnapshot? = nil,
        range: PageRange? = nil,
        marker: String? = nil,
        maxResults: Int? = nil,
        logger: Logger
    ) async throws -> AzurePage<PageRangeEntry> {
        try checkPageListVersion(previous: previous, paged: marker != nil || maxResults != nil, blob: blob)
        if let maxResults, maxResults < 1 {
            throw AzureError(
                .invalidRequest,
                message: "Get Page Ranges of \(container)/\(blob) needs maxResults of at least 1, not \(maxResults)."
            )
        }
        var query = [("comp", "pagelist")]
        var headers = HTTPHeaders()
        if let snapshot { query.append(("snapshot", snapshot)) }
        switch previous {
        case .snapshot(let time): query.append(("prevsnapshot", time))
        case .url(let url): headers.add(name: "x-ms-previous-snapshot-url", value: url)
        case nil: break
        }
        if let marker { query.append(("marker", marker)) }
        if let maxResults { query.append(("maxresults", String(maxResults))) }
        if let range { headers.add(name: "x-ms-range", value: "bytes=\(range.start)-\(range.end)") }
        let (_, body) = try await service.sendBuffered(
            service.request(.GET, [container, blob], query: query, headers: headers),
            operation: previous == nil ? "blob.pagelist" : "blob.pagelist.diff",
            logger: logger
        )
        return try Self.decodePageList(body)
    }

    /// Get Page Ranges takes `x-ms-previous-snapshot-url` from version 2019-07-07 and `marker` /
    /// `maxresults` from 2020-10-02 ("Get Page Ranges", "URI parameters" and "Request headers").
    func checkPageListVersion(previous: PreviousSnapshot?, paged: Bool, blob: String) throws {
        let version = service.version
        if case .url = previous, version < "2019-07-07" {
            throw AzureError(
                .invalidRequest,
                message:
                    "A managed-disk diff of \(blob) needs x-ms-version 2019-07-07 or later, not \(version).",
            )
        }
        if paged, version < "2020-10-02" {
            throw AzureError(
                .invalidRequest,
                message: "Paging Get Page Ranges of \(blob) needs x-ms-version 2020-10-02 or later, not \(version).",
            )
        }
    }

    /// Every page range (or diff entry), paged lazily with `marker`.
    public func pageRanges(
        container: String,
        blob: String,
        snapshot: String? = nil,
        previous: PreviousSnapshot? = nil,
        range: PageRange? = nil,
        pageSize: Int? = nil,
        logger: Logger
    ) -> AzurePagedSequence<PageRangeEntry> {
        let client = self
        return AzurePagedSequence { marker in
            try await client.pageRangesPage(
                container: container,
                blob: blob,
                snapshot: snapshot,
                previous: previous,
                range: range,
                marker: marker,
                maxResults: pageSize,
                logger: logger
            )
        }
    }

    /// Decodes a `PageList` body (PageRange and ClearRange in document order, then `NextMarker`).
    public static func decodePageList(_ body: [UInt8]) throws -> AzurePage<PageRangeEntry> {
        let root = try AzureXMLParser.parse(body)
        guard root.name == "PageList" else {
            throw AzureError(
                .invalidResponse,
                message: "Get Page Ranges returned <\(root.name)> instead of <PageList>."
            )
        }
        var entries: [PageRangeEntry] = []
        for element in root.children where element.name == "PageRange" || element.name == "ClearRange" {
            guard let start = element.childText("Start").flatMap({ Int64($0) }),
                let end = element.childText("End").flatMap({ Int64($0) }), end >= start
            else {
                throw AzureError(
                    .invalidResponse,
                    message: "A <\(element.name)> of Get Page Ranges has no valid Start/End."
                )
            }
            let range = PageRange(start: start, end: end)
            entries.append(element.name == "PageRange" ? .data(range) : .cleared(range))
        }
        return AzurePage(elements: entries, next: root.nonEmptyChildText("NextMarker"))
    }
}
