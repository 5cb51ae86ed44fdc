import Crypto
import Foundation
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

extension BlobClient {
    /// The largest body sent in one Put Blob by ``upload(container:blob:data:options:blockSize:concurrency:logger:)``.
    public static let singleShotLimit = 64 * 1024 * 1024

    /// Uploads a block blob in one Put Blob, sending `Content-MD5` so the service verifies the bytes.
    /// - Returns: The new blob's ETag.
    /// - Throws: ``AzureError``; with `createOnly`, 409 `BlobAlreadyExists` when the blob exists.
    @discardableResult
    public func putBlob(
        container: String,
        blob: String,
        data: ByteBuffer,
        options: BlobUploadOptions = BlobUploadOptions(),
        logger: Logger
    ) async throws -> String? {
        var headers = uploadHeaders(options)
        headers.add(name: "x-ms-blob-type", value: BlobType.blockBlob.rawValue)
        headers.add(name: "Content-Type", value: options.contentType)
        let md5 = Self.md5Base64(data)
        headers.add(name: "Content-MD5", value: md5)
        if let tier = options.accessTier { headers.add(name: "x-ms-access-tier", value: tier.rawValue) }
        let request = service.request(.PUT, [container, blob], headers: headers, body: AzureHTTPBody(buffer: data))
        do {
            let (response, _) = try await service.sendBuffered(request, operation: "blob.put", logger: logger)
            return response.headers.first(name: "etag")
        } catch let error as AzureError {
            return try await ownCreate(
                after: error,
                options: options,
                md5: md5,
                container: container,
                blob: blob,
                logger: logger
            )
        }
    }

    /// Uploads a block blob from a stream of known length in one Put Blob (not retried; see
    /// ``AzureHTTPBody/stream(_:length:)``). Use blocks for re-readable sources instead.
    @discardableResult
    public func putBlob(
        container: String,
        blob: String,
        stream body: AzureHTTPBody,
        options: BlobUploadOptions = BlobUploadOptions(),
        logger: Logger
    ) async throws -> String? {
        var headers = uploadHeaders(options)
        headers.add(name: "x-ms-blob-type", value: BlobType.blockBlob.rawValue)
        headers.add(name: "Content-Type", value: options.contentType)
        if let md5 = options.contentMD5 { headers.add(name: "Content-MD5", value: md5) }
        if let tier = options.accessTier { headers.add(name: "x-ms-access-tier", value: tier.rawValue) }
        let request = service.request(.PUT, [container, blob], headers: headers, body: body)
        let (response, _) = try await service.sendBuffered(request, operation: "blob.put", logger: logger)
        return response.headers.first(name: "etag")
    }

    /// Stages one block (Put Block) with `Content-MD5`.
    public func putBlock(container: String, blob: String, blockID: String, data: ByteBuffer, logger: Logger)
        async throws
    {
        var headers = HTTPHeaders()
        headers.add(name: "Content-MD5", value: Self.md5Base64(data))
        let request = service.request(
            .PUT,
            [container, blob],
            query: [("comp", "block"), ("blockid", blockID)],
            headers: headers,
            body: AzureHTTPBody(buffer: data)
        )
        _ = try await service.sendBuffered(request, operation: "blob.block.put", logger: logger)
    }

    /// Commits staged blocks in order (Put Block List, each as `<Latest>`).
    /// - Returns: The new blob's ETag.
    @discardableResult
    public func putBlockList(
        container: String,
        blob: String,
        blockIDs: [String],
        options: BlobUploadOptions = BlobUploadOptions(),
        logger: Logger
    ) async throws -> String? {
        var xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?><BlockList>"
        for id in blockIDs { xml += "<Latest>\(azureXMLEscape(id))</Latest>" }
        xml += "</BlockList>"
        let body = ByteBuffer(string: xml)
        var headers = uploadHeaders(options)
        headers.add(name: "Content-Type", value: "application/xml; charset=utf-8")
        headers.add(name: "Content-MD5", value: Self.md5Base64(body))
        headers.add(name: "x-ms-blob-content-type", value: options.contentType)
        if let md5 = options.contentMD5 { headers.add(name: "x-ms-blob-content-md5", value: md5) }
        if let tier = options.accessTier { headers.add(name: "x-ms-access-tier", value: tier.rawValue) }
        let request = service.request(
            .PUT,
            [container, blob],
            query: [("comp", "blocklist")],
            headers: headers,
            body: AzureHTTPBody(buffer: body)
        )
        do {
            let (response, _) = try await service.sendBuffered(request, operation: "blob.blocklist.put", logger: logger)
            return response.headers.first(name: "etag")
        } catch let error as AzureError {
            return try await ownCreate(
                after: error,
                options: options,
                md5: options.contentMD5,
                container: container,
                blob: blob,
                logger: logger
            )
        }
    }

    /// Decides a create-only upload that failed with `conflict`: when an earlier attempt was sent (a retry
    /// followed) and the blob now exists with the `Content-MD5` this upload sent, the earlier attempt created
    /// it and only its answer was lost, so the upload succeeded and its ETag is returned. Otherwise `conflict`
    /// is thrown again.
    func ownCreate(
        after conflict: AzureError,
        options: BlobUploadOptions,
        md5: String?,
        container: String,
        blob: String,
        logger: Logger
    ) async throws -> String? {
        guard options.createOnly, conflict.attempts > 1, conflict.isConflict || conflict.isPreconditionFailed,
            let md5
        else { throw conflict }
        let existing: BlobProperties
        do {
            existing = try await properties(container: container, blob: blob, logger: logger)
        } catch {
            throw conflict
        }
        guard existing.contentMD5 == md5 else { throw conflict }
        logger.debug(
            "Create-only upload found its own earlier attempt",
            metadata: ["azure.blob": "\(container)/\(blob)", "retry.attempts": "\(conflict.attempts)"]
        )
        return existing.etag
    }

    /// The block ID of block number `index`: base64 of a fixed-width decimal, so all IDs of a blob
    /// have the same length.
    public static func blockID(_ index: Int) -> String {
        let text = String(index)
        let padded = String(repeating: "0", count: max(0, 8 - text.count)) + text
        return Data("block-\(padded)".utf8).base64EncodedString()
    }

    /// Uploads `length` bytes read from a re-readable source: one Put Blob when small, otherwise
    /// blocks of `blockSize` staged `concurrency` at a time, then one Put Block List. Each block is
    /// read by `readBlock(offset, count)` and may be retried on its own.
    /// - Returns: The new blob's ETag.
    @discardableResult
    public func upload(
        container: String,
        blob: String,
        length: Int64,
        options: BlobUploadOptions = BlobUploadOptions(),
        blockSize: Int = 8 * 1024 * 1024,
        concurrency: Int = 4,
        logger: Logger,
        readBlock: @escaping @Sendable (_ offset: Int64, _ count: Int) async throws -> ByteBuffer
    ) async throws -> String? {
        precondition(blockSize > 0 && concurrency > 0, "blockSize and concurrency must be positive")
        if length <= Int64(min(blockSize, Self.singleShotLimit)) {
            let data = try await readBlock(0, Int(length))
            return try await putBlob(container: container, blob: blob, data: data, options: options, logger: logger)
        }
        let blockCount = Int((length + Int64(blockSize) - 1) / Int64(blockSize))
        guard blockCount <= 50_000 else {
            throw AzureError(
                .invalidRequest,
                message:
                    "Blob \(container)/\(blob) of \(length) bytes needs \(blockCount) blocks of \(blockSize) bytes; the limit is 50,000. Use a larger block size.",
            )
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = 0
            func addBlock(_ index: Int) {
                group.addTask {
                    let offset = Int64(index) * Int64(blockSize)
                    let count = Int(min(Int64(blockSize), length - offset))
                    let data = try await readBlock(offset, count)
                    try await putBlock(
                        container: container,
                        blob: blob,
                        blockID: Self.blockID(index),
                        data: data,
                        logger: logger
                    )
                }
            }
            while next < min(concurrency, blockCount) {
                addBlock(next)
                next += 1
            }
            while try await group.next() != nil {
                if next < blockCount {
                    addBlock(next)
                    next += 1
                }
            }
        }
        return try await putBlockList(
            container: container,
            blob: blob,
            blockIDs: (0..<blockCount).map(Self.blockID),
            options: options,
            logger: logger
        )
    }

    /// Uploads bytes held in memory (blocks in parallel when larger than `blockSize`), storing their
    /// MD5 as the blob's `Content-MD5` either way.
    @discardableResult
    public func upload(
        container: String,
        blob: String,
        data: ByteBuffer,
        options: BlobUploadOptions = BlobUploadOptions(),
        blockSize: Int = 8 * 1024 * 1024,
        concurrency: Int = 4,
        logger: Logger
    ) async throws -> String? {
        var options = options
        if options.contentMD5 == nil, data.readableBytes > min(blockSize, Self.singleShotLimit) {
            options.contentMD5 = Self.md5Base64(data)
        }
        return try await upload(
            container: container,
            blob: blob,
            length: Int64(data.readableBytes),
            options: options,
            blockSize: blockSize,
            concurrency: concurrency,
            logger: logger
        ) { offset, count in
            data.getSlice(at: data.readerIndex + Int(offset), length: count) ?? ByteBuffer()
        }
    }

    func uploadHeaders(_ options: BlobUploadOptions) -> HTTPHeaders {
        var headers = HTTPHeaders()
        if options.createOnly { headers.add(name: "If-None-Match", value: "*") }
        if let etag = options.ifMatch { headers.add(name: "If-Match", value: etag) }
        for (key, value) in options.metadata.sorted(by: { $0.key < $1.key }) {
            headers.add(name: "x-ms-meta-\(key)", value: value)
        }
        return headers
    }

    /// base64(MD5(bytes)), as sent in `Content-MD5`.
    public static func md5Base64(_ buffer: ByteBuffer) -> String {
        Data(Insecure.MD5.hash(data: buffer.readableBytesView)).base64EncodedString()
    }
}
