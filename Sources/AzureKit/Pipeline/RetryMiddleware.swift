import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// Retries failed attempts according to a ``RetryPolicy``.
///
/// Retryable: HTTP 408, 429, 500, 502, 503, 504 and transport failures. Requests that are not
/// idempotent are retried only after 429 or 503 (the service did not act) or a failure to connect.
/// Streamed bodies are never replayed. Cancellation is checked before every attempt and while waiting.
///
/// A create-only `PUT` (`If-None-Match: *`) is retried like any `PUT`: the thrown error's
/// ``AzureError/attempts`` tells the caller that a final 409 or 412 may answer its own earlier, applied
/// attempt (``BlobClient`` then compares the stored `Content-MD5` with what it sent).
public struct RetryMiddleware: AzureMiddleware {
    /// The policy.
    public var policy: any RetryPolicy
    /// How to wait; tests inject a recording sleep.
    public var sleep: @Sendable (Duration) async throws -> Void

    /// Creates the middleware.
    public init(policy: any RetryPolicy, sleep: @escaping @Sendable (Duration) async throws -> Void) {
        self.policy = policy
        self.sleep = sleep
    }

    /// HTTP statuses that may be retried.
    public static let retryableStatuses: Set<Int> = [408, 429, 500, 502, 503, 504]

    /// Whether `error` from an attempt of `request` may be retried at all.
    public static func isRetryable(_ error: AzureError, request: AzureHTTPRequest) -> Bool {
        if request.body.isStreaming { return false }
        switch error.code {
        case .service:
            guard let status = error.status, retryableStatuses.contains(status) else { return false }
            return request.isIdempotent || status == 429 || status == 503
        case .transport:
            if request.isIdempotent { return true }
            return (error.underlying as? TransportFailure)?.isConnectFailure ?? false
        default:
            return false
        }
    }

    /// Handles `request` and passes it down the chain.
    public func handle(
        _ request: AzureHTTPRequest,
        context: AzureMiddlewareContext,
        next: AzureMiddlewareNext
    ) async throws -> AzureHTTPResponse {
        var attempt = 0
        while true {
            try Task.checkCancellation()
            do {
                return try await next(request, context)
            } catch var error as AzureError {
                error.attempts = attempt + 1
                guard Self.isRetryable(error, request: request),
                    case .retry(let wait) = policy.retryStatus(for: error, attempt: attempt)
                else { throw error }
                context.logger.trace(
                    "Azure request retry",
                    metadata: [
                        "azure.operation": .string(context.operation),
                        "retry.attempt": .stringConvertible(attempt + 1),
                        "retry.wait_ms": .stringConvertible(wait.nanoseconds / 1_000_000),
                        "http.status": .string(error.status.map(String.init) ?? ""),
                        "azure.request_id": .string(error.requestID ?? ""),
                    ]
                )
                try await sleep(wait)
                attempt += 1
            }
        }
    }
}
