import Foundation
import NIOCore
import NIOHTTP1

/// A buffered Resource Manager response.
public struct ARMResponse: Sendable {
    /// The HTTP status.
    public var status: Int
    /// The headers.
    public var headers: HTTPHeaders
    /// The body bytes (JSON or empty).
    public var body: [UInt8]

    /// Creates a response.
    public init(status: Int, headers: HTTPHeaders, body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// Decodes the body as `T`.
    /// - Throws: ``AzureError`` with code ``AzureError/Code/invalidResponse`` naming the type.
    public func decode<T: Decodable>(_ type: T.Type = T.self, resource: String? = nil) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(body))
        } catch {
            throw AzureError(
                .invalidResponse,
                status: status,
                message: "Cannot decode \(T.self) from the Resource Manager answer: \(error).",
                requestID: headers.first(name: "x-ms-request-id"),
                resource: resource,
                underlying: error
            )
        }
    }

    /// The body as a JSON value (`.null` when empty).
    public var json: AzureJSON {
        guard !body.isEmpty, let value = try? JSONDecoder().decode(AzureJSON.self, from: Data(body)) else {
            return .null
        }
        return value
    }
}
