import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// What every middleware sees besides the request: the caller's logger and how to authorize.
public struct AzureMiddlewareContext: Sendable {
    /// The caller's logger, with the request's metadata added as the request moves down the chain.
    public var logger: Logger
    /// A short name of the operation for logs, e.g. `blob.put`, `arm.lro.poll`.
    public var operation: String
    /// How the request is authorized (Shared Key, bearer token, or nothing for SAS URLs).
    public var authorizer: (any RequestAuthorizer)?

    /// Creates a context.
    public init(logger: Logger, operation: String, authorizer: (any RequestAuthorizer)?) {
        self.logger = logger
        self.operation = operation
        self.authorizer = authorizer
    }
}

/// The rest of the chain, as seen from one middleware.
public typealias AzureMiddlewareNext =
    @Sendable (AzureHTTPRequest, AzureMiddlewareContext) async throws -> AzureHTTPResponse

/// One stage of the request pipeline (modelled on soto-core's middleware chain).
///
/// The client's chain is: user middleware → ``ClientRequestIDMiddleware`` → ``RetryMiddleware``
/// → ``AuthorizationMiddleware`` → ``ErrorMappingMiddleware`` → transport. Authorization sits
/// inside the retry loop, so every attempt is freshly dated and signed.
public protocol AzureMiddleware: Sendable {
    /// Handles `request`, usually by changing it and calling `next`, or by inspecting the response.
    func handle(
        _ request: AzureHTTPRequest,
        context: AzureMiddlewareContext,
        next: AzureMiddlewareNext
    ) async throws -> AzureHTTPResponse
}

/// Adds credentials to a request (Shared Key signature, bearer token).
public protocol RequestAuthorizer: Sendable {
    /// Adds the `Authorization` header (and whatever it signs, such as `x-ms-date`) to `request`.
    func authorize(_ request: inout AzureHTTPRequest, logger: Logger) async throws
}
