import Foundation
import Logging
import NIOCore
import NIOHTTP1

extension BlobClient {
    /// The largest range for which the service returns a per-range MD5.
    public static let maxRangeMD5Bytes: Int64 = 4 * 1024 * 1024

    /// Reads a blob, or an inclusive byte range of it, as a stream (Get Blob).
    ///
    /// Ranges of at most 4 MiB ask for `x-ms-range-get-content-md5` so the bytes are verified;
    /// whole-blob reads are verified against the blob's stored `Content-MD5` when it has one.
    /// - Parameters:
    ///   - range: Inclusive byte range, or `nil` for the whole blob.
    ///   - snapshot: A snapshot time to read instead of the base blob.
    /// - Throws: ``AzureError`` (404 `BlobNotFound`, 416 `InvalidRange`, 409 `BlobArchived`, ...).
    public func download(
        container: String,
        blob: String,
        range: PageRange? = nil,
        snapshot: String? = nil,
        logger: Logger
    ) async throws -> BlobDownload {
        var headers = HTTPHeaders()
        if let range {
            headers.add(name: "x-ms-range", value: "bytes=\(range.start)-\(range.end)")
            if range.length <= Self.maxRangeMD5Bytes { headers.add(name: "x-ms-range-get-content-md5", value: "true") }
        }
        var query: [(String, String)] = []
        if let snapshot { query.append(("snapshot", snapshot)) }
        let request = service.request(.GET, [container, blob], query: query, headers: headers)
        let response = try await service.send(request, operation: "blob.get", logger: logger)
        let properties = BlobProperties(headers: response.headers)
        var returned: PageRange?
        if let contentRange = response.headers.first(name: "content-range") {
            returned = Self.parseContentRange(contentRange)
        }
        // Content-MD5 covers the returned bytes when ranged with the MD5 flag, or for a whole read.
        let md5 = response.headers.first(name: "content-md5")
        let verified =
            response.status == .partialContent
            ? (headers.contains(name: "x-ms-range-get-content-md5") ? md5 : nil) : md5
        return BlobDownload(
            properties: properties,
            range: returned,
            contentMD5: verified,
            body: MD5VerifyingBody(base: response.body, expectedMD5: verified, resource: "\(container)/\(blob)")
        )
    }

    /// Reads a blob or range into memory (at most `maxBytes`), verifying its MD5.
    public func downloadData(
        container: String,
        blob: String,
        range: PageRange? = nil,
        snapshot: String? = nil,
        maxBytes: Int = 256 * 1024 * 1024,
        logger: Logger
    ) async throws -> ByteBuffer {
        let download = try await download(
            container: container,
            blob: blob,
            range: range,
            snapshot: snapshot,
            logger: logger
        )
        return try await download.collect(upTo: maxBytes)
    }

    /// A blob's properties (Get Blob Properties, a HEAD request).
    /// - Throws: ``AzureError`` with status 404 when the blob does not exist.
    public func properties(container: String, blob: String, snapshot: String? = nil, logger: Logger) async throws
        -> BlobProperties
    {
        var query: [(String, String)] = []
        if let snapshot { query.append(("snapshot", snapshot)) }
        let request = service.request(.HEAD, [container, blob], query: query)
        let (response, _) = try await service.sendBuffered(request, operation: "blob.properties", logger: logger)
        return BlobProperties(headers: response.headers)
    }

    /// Deletes a blob with its snapshots; returns `false` if it did not exist.
    @discardableResult
    public func deleteBlob(container: String, blob: String, logger: Logger) async throws -> Bool {
        var headers = HTTPHeaders()
        headers.add(name: "x-ms-delete-snapshots", value: "include")
        let request = service.request(.DELETE, [container, blob], headers: headers)
        do {
            _ = try await service.sendBuffered(request, operation: "blob.delete", logger: logger)
            return true
        } catch let error as AzureError where error.isNotFound {
            return false
        }
    }

    /// Creates a read-only snapshot of a blob (Snapshot Blob) and returns its time (`x-ms-snapshot`).
    public func createSnapshot(container: String, blob: String, logger: Logger) async throws -> String {
        let request = service.request(.PUT, [container, blob], query: [("comp", "snapshot")])
        let (response, _) = try await service.sendBuffered(request, operation: "blob.snapshot", logger: logger)
        guard let snapshot = response.headers.first(name: "x-ms-snapshot") else {
            throw AzureError(
                .invalidResponse,
                message: "Snapshot Blob returned no x-ms-snapshot header.",
                resource: "\(container)/\(blob)"
            )
        }
        return snapshot
    }

    /// Sets a block blob's access tier (Set Blob Tier). Returns `true` when the change is immediate
    /// (200) and `false` when a rehydration from Archive started (202).
    @discardableResult
    public func setTier(
        container: String,
        blob: String,
        tier: AccessTier,
        rehydratePriority: RehydratePriority? = nil,
        logger: Logger
    ) async throws -> Bool {
        var headers = HTTPHeaders()
        headers.add(name: "x-ms-access-tier", value: tier.rawValue)
        if let rehydratePriority { headers.add(name: "x-ms-rehydrate-priority", value: rehydratePriority.rawValue) }
        let request = service.request(.PUT, [container, blob], query: [("comp", "tier")], headers: headers)
        let (response, _) = try await service.sendBuffered(request, operation: "blob.tier.set", logger: logger)
        return response.status == .ok
    }

    /// Parses `bytes s-e/total` into the returned range.
    static func parseContentRange(_ value: String) -> PageRange? {
        let trimmed = value.hasPrefix("bytes ") ? value.dropFirst(6) : Substring(value)
        let span = trimmed.split(separator: "/").first ?? ""
        let parts = span.split(separator: "-")
        guard parts.count == 2, let start = Int64(parts[0]), let end = Int64(parts[1]) else { return nil }
        return PageRange(start: start, end: end)
    }
}
