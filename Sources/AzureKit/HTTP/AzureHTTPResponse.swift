import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A response as it comes back through the middleware chain; the body is streamed.
public struct AzureHTTPResponse: Sendable {
    /// The HTTP status.
    public var status: HTTPResponseStatus
    /// The response headers.
    public var headers: HTTPHeaders
    /// The body, read as the consumer iterates it.
    public var body: AzureResponseBody

    /// Creates a response.
    public init(status: HTTPResponseStatus, headers: HTTPHeaders, body: AzureResponseBody) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The service's `x-ms-request-id`, if present.
    public var requestID: String? { headers.first(name: "x-ms-request-id") }

    /// The `Content-Length` header as a number, if present and valid.
    public var contentLength: Int64? { headers.first(name: "content-length").flatMap { Int64($0) } }
}

/// A response body: an `AsyncSequence` of `ByteBuffer` chunks read from the connection as it is
/// iterated. If `Content-Length` was announced and the stream ends early, iteration throws
/// ``AzureError`` with code ``AzureError/Code/truncatedBody``.
public struct AzureResponseBody: AsyncSequence, Sendable {
    /// Body chunks.
    public typealias Element = ByteBuffer

    enum Storage: Sendable {
        case client(HTTPClientResponse.Body)
        case buffer(ByteBuffer)
    }

    let storage: Storage
    let expectedLength: Int64?
    let resource: String?

    init(storage: Storage, expectedLength: Int64?, resource: String?) {
        self.storage = storage
        self.expectedLength = expectedLength
        self.resource = resource
    }

    /// A body already held in memory.
    public init(buffer: ByteBuffer) {
        self.init(storage: .buffer(buffer), expectedLength: nil, resource: nil)
    }

    /// Iterates the chunks, checking the total against the announced length.
    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: HTTPClientResponse.Body.AsyncIterator?
        var buffer: ByteBuffer?
        let expectedLength: Int64?
        let resource: String?
        var received: Int64 = 0

        /// The next element, or `nil` at the end.
        public mutating func next() async throws -> ByteBuffer? {
            if base == nil {
                defer { buffer = nil }
                return buffer.flatMap { $0.readableBytes > 0 ? $0 : nil }
            }
            let chunk: ByteBuffer?
            do {
                chunk = try await base?.next()
            } catch let error as AzureError {
                throw error
            } catch {
                throw AzureError(
                    .truncatedBody,
                    message: "The connection failed after \(received) bytes of the response body; retry the read.",
                    resource: resource,
                    underlying: error
                )
            }
            guard let chunk else {
                if let expectedLength, received != expectedLength {
                    throw AzureError(
                        .truncatedBody,
                        message:
                            "The response body ended after \(received) of \(expectedLength) bytes; retry the read.",
                        resource: resource
                    )
                }
                return nil
            }
            received += Int64(chunk.readableBytes)
            return chunk
        }
    }

    /// Starts iterating.
    public func makeAsyncIterator() -> AsyncIterator {
        switch storage {
        case .client(let body):
            AsyncIterator(
                base: body.makeAsyncIterator(),
                buffer: nil,
                expectedLength: expectedLength,
                resource: resource
            )
        case .buffer(let buffer):
            AsyncIterator(base: nil, buffer: buffer, expectedLength: nil, resource: resource)
        }
    }

    /// Reads the whole body into memory, failing if it exceeds `maxBytes`.
    public func collect(upTo maxBytes: Int) async throws -> ByteBuffer {
        if let expectedLength, expectedLength > maxBytes {
            throw AzureError(
                .invalidResponse,
                message: "The response body of \(expectedLength) bytes exceeds the limit of \(maxBytes) bytes.",
                resource: resource
            )
        }
        var result = ByteBuffer()
        for try await var chunk in self {
            guard result.readableBytes + chunk.readableBytes <= maxBytes else {
                throw AzureError(
                    .invalidResponse,
                    message: "The response body exceeds the limit of \(maxBytes) bytes.",
                    resource: resource
                )
            }
            result.writeBuffer(&chunk)
        }
        return result
    }
}
