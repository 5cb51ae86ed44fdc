import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// What ``BlobClient`` and ``QueueClient`` share: an endpoint, how to authorize, and the version.
public struct StorageServiceClient: Sendable, CustomStringConvertible {
    /// The storage REST version sent as `x-ms-version`.
    public static let defaultVersion = "2021-12-02"

    /// The HTTP client.
    public let client: AzureClient
    /// The service endpoint, e.g. `https://acct.blob.core.windows.net/` or `http://127.0.0.1:10000/acct/`.
    public let endpoint: URL
    /// How requests are authorized.
    public let authorization: StorageAuthorization
    /// The `x-ms-version` sent.
    public var version: String

    /// Creates a service client.
    public init(
        client: AzureClient,
        endpoint: URL,
        authorization: StorageAuthorization,
        version: String = Self.defaultVersion
    ) {
        self.client = client
        var text = endpoint.absoluteString
        if !text.hasSuffix("/") { text += "/" }
        self.endpoint = URL(string: text) ?? endpoint
        self.authorization = authorization
        self.version = version
    }

    /// A description without secrets.
    public var description: String { "\(Redaction.redact(endpoint.absoluteString)) (\(authorization))" }

    /// The URL of `path` (already split into segments; each is percent-encoded, `/` inside a blob name kept)
    /// with `query` items and the SAS appended.
    public func url(_ segments: [String], query: [(String, String)] = []) -> URL {
        let path = segments.map(URLEncoding.encodePath).joined(separator: "/")
        var text = endpoint.absoluteString + path
        var parts: [String] = []
        if !query.isEmpty { parts.append(URLEncoding.query(query)) }
        if let sas = authorization.sasQuery, !sas.isEmpty { parts.append(sas) }
        if !parts.isEmpty { text += "?" + parts.joined(separator: "&") }
        return URL(string: text) ?? endpoint
    }

    /// Builds a request with `x-ms-version` set.
    public func request(
        _ method: HTTPMethod,
        _ segments: [String],
        query: [(String, String)] = [],
        headers: HTTPHeaders = [:],
        body: AzureHTTPBody = .empty,
        isIdempotent: Bool? = nil
    ) -> AzureHTTPRequest {
        var headers = headers
        headers.replaceOrAdd(name: "x-ms-version", value: version)
        return AzureHTTPRequest(
            method: method,
            url: url(segments, query: query),
            headers: headers,
            body: body,
            isIdempotent: isIdempotent
        )
    }

    /// Sends a request, returning the response with a streamed body.
    public func send(_ request: AzureHTTPRequest, operation: String, logger: Logger) async throws -> AzureHTTPResponse {
        try await client.execute(request, operation: operation, authorizer: authorization.authorizer, logger: logger)
    }

    /// Sends a request and reads its (small) body; drains the body of bodiless answers.
    public func sendBuffered(_ request: AzureHTTPRequest, operation: String, logger: Logger) async throws
        -> (response: AzureHTTPResponse, body: [UInt8])
    {
        let result = try await client.executeBuffered(
            request,
            operation: operation,
            authorizer: authorization.authorizer,
            logger: logger
        )
        return (result.response, Array(result.body.readableBytesView))
    }
}
