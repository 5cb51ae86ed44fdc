import AzureKit
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension ManagedDiskDataPlane {
    /// Ranges up to this size are served from one buffer; larger reads are streamed in pieces of this size.
    static let chunkSize = 4 * 1024 * 1024

    /// Get Blob Properties.
    func properties(_ target: Target, request: Request) -> Response {
        var headers = commonHeaders(target, request: request)
        addBlobHeaders(&headers, target)
        headers[.contentLength] = String(target.size)
        headers[.contentType] = "application/octet-stream"
        return Response(status: .ok, headers: headers)
    }

    /// Get Blob, whole or with a `Range` / `x-ms-range` header.
    func read(_ target: Target, request: Request) async throws(StorageError) -> Response {
        var headers = commonHeaders(target, request: request)
        addBlobHeaders(&headers, target)
        headers[.contentType] = "application/octet-stream"
        headers[.acceptRanges] = "bytes"
        let range = try Self.requestedRange(request, size: target.size)
        let wantsMD5 = request.header("x-ms-range-get-content-md5")?.lowercased() == "true"
        let window = range ?? 0..<target.size
        if wantsMD5 {
            guard range != nil, window.count <= Self.chunkSize else {
                throw StorageError(
                    .badRequest,
                    "OutOfRangeInput",
                    "The range must be given and at most 4 MiB when x-ms-range-get-content-md5 is true."
                )
            }
        }
        headers[.contentLength] = String(window.count)
        let status: HTTPResponse.Status = range == nil ? .ok : .partialContent
        if range != nil {
            headers[.contentRange] = "bytes \(window.lowerBound)-\(window.upperBound - 1)/\(target.size)"
        }
        if window.count <= Int64(Self.chunkSize) {
            let buffer = try await readBuffer(target.version, window)
            if wantsMD5 {
                headers[Self.field("Content-MD5")] = Data(Insecure.MD5.hash(data: buffer.readableBytesView))
                    .base64EncodedString()
            }
            return Response(status: status, headers: headers, body: .init(byteBuffer: buffer))
        }
        let pages = disks.pages
        let version = target.version
        let body = ResponseBody(contentLength: Int(window.count)) { writer in
            var offset = window.lowerBound
            while offset < window.upperBound {
                let end = min(offset + Int64(Self.chunkSize), window.upperBound)
                let piece = offset..<end
                try await writer.write(try await FileIO.run { try Self.readBuffer(pages, version, piece) })
                offset = end
            }
            try await writer.finish(nil)
        }
        return Response(status: status, headers: headers, body: body)
    }

    private func readBuffer(_ version: PageStore.Version, _ window: Range<Int64>) async throws(StorageError)
        -> ByteBuffer
    {
        let pages = disks.pages
        do {
            return try await FileIO.run { try Self.readBuffer(pages, version, window) }
        } catch {
            throw StorageError(.internalServerError, "InternalError", "The server could not read the disk's data.")
        }
    }

    /// Reads `window` of `version` into one buffer: written pages from their layer files, the rest as zeros.
    static func readBuffer(_ pages: PageStore, _ version: PageStore.Version, _ window: Range<Int64>) throws
        -> ByteBuffer
    {
        let count = Int(window.count)
        var buffer = ByteBufferAllocator().buffer(capacity: count)
        let segments = try pages.segments(of: version, in: window)
        try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { raw in
            guard let base = raw.baseAddress else { return 0 }
            // Every byte is written once: layer data straight from its file, and zeros only where nothing was
            // written (segments cover the window without gaps).
            for segment in segments {
                let start = Int(segment.range.lowerBound - window.lowerBound)
                switch segment.source {
                case .zeros:
                    (base + start).initializeMemory(as: UInt8.self, repeating: 0, count: Int(segment.range.count))
                case .layer(let path):
                    try pages.readSegment(
                        path: path,
                        offset: segment.range.lowerBound,
                        count: Int(segment.range.count),
                        into: base + start
                    )
                }
            }
            return count
        }
        return buffer
    }

    func addBlobHeaders(_ headers: inout HTTPFields, _ target: Target) {
        headers[Self.field("x-ms-blob-type")] = "PageBlob"
        headers[Self.field("x-ms-blob-sequence-number")] = "0"
        headers[Self.field("x-ms-server-encrypted")] = "true"
        headers[Self.field("x-ms-creation-time")] = HTTPDate.rfc1123(lastModified(target))
        headers[Self.field("x-ms-lease-state")] = "available"
        headers[Self.field("x-ms-lease-status")] = "unlocked"
        if case .snapshot = target.version {
            headers[Self.field("x-ms-incremental-copy")] = "true"
        }
    }

    /// The byte range a request names (`x-ms-range` wins over `Range`), clamped to the blob; `nil` for none.
    ///
    /// - Throws: 416 `InvalidRange` when the range starts at or past the end, 400 for a malformed header.
    static func requestedRange(_ request: Request, size: Int64) throws(StorageError) -> Range<Int64>? {
        let name = request.header("x-ms-range") != nil ? "x-ms-range" : "Range"
        guard let text = request.header(name) else { return nil }
        guard text.hasPrefix("bytes="), let dash = text.firstIndex(of: "-") else {
            throw .invalidHeader(name, text)
        }
        let startText = text[text.index(text.startIndex, offsetBy: 6)..<dash]
        let endText = text[text.index(after: dash)...]
        guard let start = Int64(startText), start >= 0 else { throw .invalidHeader(name, text) }
        let end: Int64
        if endText.isEmpty {
            end = size - 1
        } else {
            guard let parsed = Int64(endText), parsed >= start else { throw .invalidHeader(name, text) }
            end = min(parsed, size - 1)
        }
        guard start < size else {
            throw StorageError(
                .rangeNotSatisfiable,
                "InvalidRange",
                "The range specified is invalid for the current size of the resource."
            )
        }
        return start..<(end + 1)
    }
}
