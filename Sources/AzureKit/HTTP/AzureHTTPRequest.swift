import Foundation
import NIOCore
import NIOHTTP1

/// One HTTP request as it travels through the client's middleware chain.
public struct AzureHTTPRequest: Sendable {
    /// The HTTP method.
    public var method: HTTPMethod
    /// The full URL, including any SAS query.
    public var url: URL
    /// The request headers (the chain adds `x-ms-client-request-id`, `x-ms-date`, `Authorization`).
    public var headers: HTTPHeaders
    /// The body.
    public var body: AzureHTTPBody
    /// Whether repeating the request has the same effect as sending it once. Non-idempotent requests
    /// are retried only when the service says it did not process them (429, 503) or the connection
    /// could not be opened.
    public var isIdempotent: Bool

    /// Creates a request; `isIdempotent` defaults to `true` for every method but POST.
    public init(
        method: HTTPMethod,
        url: URL,
        headers: HTTPHeaders = [:],
        body: AzureHTTPBody = .empty,
        isIdempotent: Bool? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.isIdempotent = isIdempotent ?? (method != .POST)
    }

    /// The URL with secrets redacted, for logs and errors.
    public var redactedURL: String { Redaction.redact(url.absoluteString) }
}
