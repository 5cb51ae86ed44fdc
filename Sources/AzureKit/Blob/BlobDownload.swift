import Crypto
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// A Get Blob answer: the blob's properties and its body as a stream.
///
/// When the service sent a `Content-MD5` for exactly the bytes returned (whole-blob reads of a
/// blob with a stored MD5, or ranged reads with `x-ms-range-get-content-md5`), iterating the body
/// verifies it and throws ``AzureError`` with code ``AzureError/Code/checksumMismatch`` on mismatch.
public struct BlobDownload: Sendable {
    /// The blob's properties (size is the whole blob's size).
    public var properties: BlobProperties
    /// The range returned, if the request was ranged.
    public var range: PageRange?
    /// The MD5 of the returned bytes, when the service sent one.
    public var contentMD5: String?
    /// The body; read it once.
    public var body: MD5VerifyingBody

    /// Reads the whole body into memory (at most `maxBytes`), verifying the MD5.
    public func collect(upTo maxBytes: Int) async throws -> ByteBuffer {
        var result = ByteBuffer()
        for try await var chunk in body {
            guard result.readableBytes + chunk.readableBytes <= maxBytes else {
                throw AzureError(
                    .invalidResponse,
                    message: "The blob body exceeds the limit of \(maxBytes) bytes.",
                    resource: body.resource
                )
            }
            result.writeBuffer(&chunk)
        }
        return result
    }
}

/// A response body that hashes what passes through and compares it with an expected MD5 at the end.
public struct MD5VerifyingBody: AsyncSequence, Sendable {
    /// Body chunks.
    public typealias Element = ByteBuffer

    let base: AzureResponseBody
    let expectedMD5: String?
    let resource: String?

    /// Iterates chunks, checking the MD5 when the stream ends.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: AzureResponseBody.AsyncIterator
        var hasher: Insecure.MD5?
        let expectedMD5: String?
        let resource: String?

        /// The next element, or `nil` at the end.
        public mutating func next() async throws -> ByteBuffer? {
            guard let chunk = try await base.next() else {
                if let hasher, let expectedMD5 {
                    self.hasher = nil
                    let actual = Data(hasher.finalize()).base64EncodedString()
                    if actual != expectedMD5 {
                        throw AzureError(
                            .checksumMismatch,
                            message:
                                "The downloaded bytes have MD5 \(actual) but the service announced \(expectedMD5); read again.",
                            resource: resource
                        )
                    }
                }
                return nil
            }
            hasher?.update(data: chunk.readableBytesView)
            return chunk
        }
    }

    /// Starts iterating.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(
            base: base.makeAsyncIterator(),
            hasher: expectedMD5 == nil ? nil : Insecure.MD5(),
            expectedMD5: expectedMD5,
            resource: resource
        )
    }
}
