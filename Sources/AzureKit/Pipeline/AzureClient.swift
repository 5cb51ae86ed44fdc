import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// The HTTP engine every AzureKit service client shares: a transport plus the middleware chain.
///
/// Create one per process (or per cloud), pass it to ``BlobClient``, ``QueueClient``,
/// ``ARMClient`` and the credentials, and call ``shutdown()`` once when done.
public final class AzureClient: Sendable {
    /// Advanced settings with defaults.
    public struct Options: Sendable {
        /// How long one attempt may take until the response head arrives. Default 120 s.
        public var requestTimeout: Duration
        /// How retries wait; tests replace it to avoid real sleeping. Default `Task.sleep`.
        public var sleep: @Sendable (Duration) async throws -> Void

        /// Creates options.
        public init(
            requestTimeout: Duration = .seconds(120),
            sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
        ) {
            self.requestTimeout = requestTimeout
            self.sleep = sleep
        }
    }

    /// The transport requests end at.
    public let transport: any AzureTransport
    /// The retry policy.
    public let retryPolicy: AzureRetryPolicy
    /// The options.
    public let options: Options
    let chain: [any AzureMiddleware]

    /// Creates a client.
    /// - Parameters:
    ///   - transport: Where requests go; usually an ``AsyncHTTPClientTransport``.
    ///   - retryPolicy: Retry behaviour; ``AzureRetryPolicy/jitter(base:maxRetries:maxWait:random:)`` by default.
    ///   - middleware: Extra middleware run first, before the request ID is assigned.
    ///   - options: Timeouts and the sleep function.
    public init(
        transport: any AzureTransport,
        retryPolicy: AzureRetryPolicy = .jitter(),
        middleware: [any AzureMiddleware] = [],
        options: Options = Options()
    ) {
        self.transport = transport
        self.retryPolicy = retryPolicy
        self.options = options
        self.chain =
            middleware + [
                ClientRequestIDMiddleware(),
                RetryMiddleware(policy: retryPolicy.policy, sleep: options.sleep),
                AuthorizationMiddleware(),
                ErrorMappingMiddleware(),
            ]
    }

    /// Creates a client over a new AsyncHTTPClient transport trusting `environment`'s extra CA.
    public convenience init(
        environment: AzureEnvironment,
        retryPolicy: AzureRetryPolicy = .jitter(),
        options: Options = Options()
    ) throws {
        let transport = try AsyncHTTPClientTransport(
            provider: .createNew,
            configuration: .init(extraTrustedCAPEM: environment.extraTrustedCAPEM)
        )
        self.init(transport: transport, retryPolicy: retryPolicy, options: options)
    }

    /// Shuts the transport down. Call once, after the last request.
    public func shutdown() async throws {
        try await transport.shutdown()
    }

    /// Sends `request` through the chain and returns a successful (2xx) response with a streamed body.
    /// - Throws: ``AzureError`` for failures (after retries), or `CancellationError`.
    public func execute(
        _ request: AzureHTTPRequest,
        operation: String,
        authorizer: (any RequestAuthorizer)?,
        logger: Logger
    ) async throws -> AzureHTTPResponse {
        let context = AzureMiddlewareContext(logger: logger, operation: operation, authorizer: authorizer)
        return try await run(index: 0, request: request, context: context)
    }

    /// Sends `request` and reads the whole (small) response body, at most `maxBodyBytes`.
    public func executeBuffered(
        _ request: AzureHTTPRequest,
        operation: String,
        authorizer: (any RequestAuthorizer)?,
        logger: Logger,
        maxBodyBytes: Int = 16 * 1024 * 1024
    ) async throws -> (response: AzureHTTPResponse, body: ByteBuffer) {
        var attempt = 0
        while true {
            let response = try await execute(request, operation: operation, authorizer: authorizer, logger: logger)
            do {
                let body = try await response.body.collect(upTo: maxBodyBytes)
                return (response, body)
            } catch let error as AzureError where error.code == .truncatedBody {
                // A body cut short is retried like a failed attempt when the request can be replayed.
                guard request.isIdempotent, !request.body.isStreaming,
                    case .retry(let wait) = retryPolicy.policy.retryStatus(for: error, attempt: attempt)
                else { throw error }
                try await options.sleep(wait)
                attempt += 1
            }
        }
    }

    private func run(index: Int, request: AzureHTTPRequest, context: AzureMiddlewareContext) async throws
        -> AzureHTTPResponse
    {
        guard index < chain.count else {
            return try await transport.send(request, timeout: options.requestTimeout)
        }
        return try await chain[index].handle(request, context: context) { request, context in
            try await self.run(index: index + 1, request: request, context: context)
        }
    }
}
