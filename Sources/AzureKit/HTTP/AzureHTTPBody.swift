import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A request body: either bytes held in memory (re-readable, so the request may be retried) or a
/// single-pass stream of known length (never replayed; a failed attempt surfaces to the caller).
public struct AzureHTTPBody: Sendable {
    enum Storage: Sendable {
        case buffer(ByteBuffer)
        case stream(HTTPClientRequest.Body, length: Int64)
    }

    let storage: Storage

    /// An empty body (sent with `Content-Length: 0` on methods that carry one).
    public static let empty = AzureHTTPBody(storage: .buffer(ByteBuffer()))

    /// A body held in memory.
    public init(buffer: ByteBuffer) {
        self.storage = .buffer(buffer)
    }

    /// A body held in memory, copied from `bytes`.
    public init(bytes: some Sequence<UInt8>) {
        self.storage = .buffer(ByteBuffer(bytes: bytes))
    }

    /// A body of UTF-8 text.
    public init(string: String) {
        self.storage = .buffer(ByteBuffer(string: string))
    }

    init(storage: Storage) {
        self.storage = storage
    }

    /// A streamed body of exactly `length` bytes, read once as it is sent (with backpressure).
    ///
    /// Streamed bodies are never retried: if the attempt fails the error reaches the caller, who
    /// restarts from a source it can re-read (for example a file offset).
    public static func stream<S: AsyncSequence & Sendable>(_ sequence: S, length: Int64) -> AzureHTTPBody
    where S.Element == ByteBuffer {
        AzureHTTPBody(storage: .stream(.stream(sequence, length: .known(length)), length: length))
    }

    /// The number of bytes the body holds.
    public var length: Int64 {
        switch storage {
        case .buffer(let buffer): Int64(buffer.readableBytes)
        case .stream(_, let length): length
        }
    }

    /// Whether this body is a single-pass stream (and so the request cannot be replayed).
    public var isStreaming: Bool {
        if case .stream = storage { return true }
        return false
    }

    /// The in-memory bytes, or `nil` for a stream.
    public var buffer: ByteBuffer? {
        if case .buffer(let buffer) = storage { return buffer }
        return nil
    }

    var clientBody: HTTPClientRequest.Body {
        switch storage {
        case .buffer(let buffer): .bytes(buffer)
        case .stream(let body, _): body
        }
    }
}
