import AzureKit
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension ManagedDiskDataPlane {
    /// The largest Put Page body.
    static let maximumPageWrite = 4 * 1024 * 1024

    /// Put Page (`x-ms-page-write: update|clear`) on a disk in upload state.
    func putPage(_ target: Target, request: Request) async throws -> Response {
        guard case .volume(let volume) = target.version,
            target.resource.body["properties"]?["diskState"]?.stringValue == "ActiveUpload"
        else {
            throw StorageError(
                .conflict,
                "OperationNotAllowedInCurrentState",
                "The operation is not allowed in the current state of the resource: only a disk in upload state "
                    + "can be written."
            )
        }
        let mode = request.header("x-ms-page-write")?.lowercased()
        guard mode == "update" || mode == "clear" else {
            throw StorageError.invalidHeader("x-ms-page-write", request.header("x-ms-page-write") ?? "")
        }
        let name = request.header("x-ms-range") != nil ? "x-ms-range" : "Range"
        guard let text = request.header(name), let range = Self.pageRange(text) else {
            throw StorageError.missingHeader("x-ms-range")
        }
        guard range.lowerBound % PageStore.pageSize == 0, range.upperBound % PageStore.pageSize == 0,
            range.upperBound <= target.size
        else {
            throw StorageError(.rangeNotSatisfiable, "InvalidPageRange", "The page range specified is invalid.")
        }
        var headers = commonHeaders(target, request: request)
        headers[Self.field("x-ms-blob-sequence-number")] = "0"
        headers[Self.field("x-ms-request-server-encrypted")] = "true"
        if mode == "clear" {
            try await store { try disks.pages.clear(volume, offset: range.lowerBound, length: Int64(range.count)) }
            return Response(status: .created, headers: headers)
        }
        guard range.count <= Self.maximumPageWrite else {
            throw StorageError(
                .contentTooLarge,
                "RequestBodyTooLarge",
                "The request body is too large and exceeds the maximum permissible limit."
            )
        }
        let body = try await request.body.collect(upTo: Self.maximumPageWrite)
        guard body.readableBytes == range.count else {
            throw StorageError(
                .badRequest,
                "InvalidHeaderValue",
                "The value for one of the HTTP headers is not in the correct format.",
                details: [("HeaderName", "Content-Length"), ("HeaderValue", String(body.readableBytes))]
            )
        }
        let digest = Data(Insecure.MD5.hash(data: body.readableBytesView)).base64EncodedString()
        if let expected = request.header("Content-MD5"), expected != digest {
            throw StorageError(
                .badRequest,
                "Md5Mismatch",
                "The MD5 value specified in the request did not match with the MD5 value calculated by the server.",
                details: [("UserSpecifiedMd5", expected), ("ServerCalculatedMd5", digest)]
            )
        }
        try await store {
            try body.withUnsafeReadableBytes { bytes in
                try disks.pages.write(volume, offset: range.lowerBound, bytes: bytes)
            }
        }
        headers[Self.field("Content-MD5")] = digest
        return Response(status: .created, headers: headers)
    }

    /// Runs a page store change on ``FileIO``'s threads.
    private func store(_ body: @escaping @Sendable () throws -> Void) async throws(StorageError) {
        do { try await FileIO.run(body) } catch {
            throw StorageError(.internalServerError, "InternalError", "The server could not write the disk's data.")
        }
    }

    /// Parses `bytes=start-end` into a half-open range.
    static func pageRange(_ text: String) -> Range<Int64>? {
        guard text.hasPrefix("bytes="), let dash = text.firstIndex(of: "-") else { return nil }
        guard let start = Int64(text[text.index(text.startIndex, offsetBy: 6)..<dash]),
            let end = Int64(text[text.index(after: dash)...]), end >= start
        else { return nil }
        return start..<(end + 1)
    }
}
