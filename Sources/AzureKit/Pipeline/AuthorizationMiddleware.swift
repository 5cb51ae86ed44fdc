import Foundation
import NIOCore
import NIOHTTP1

/// Asks the context's ``RequestAuthorizer`` to sign or authorize the request, once per attempt.
public struct AuthorizationMiddleware: AzureMiddleware {
    /// Creates the middleware.
    public init() {}

    /// Handles `request` and passes it down the chain.
    public func handle(
        _ request: AzureHTTPRequest,
        context: AzureMiddlewareContext,
        next: AzureMiddlewareNext
    ) async throws -> AzureHTTPResponse {
        guard let authorizer = context.authorizer else { return try await next(request, context) }
        var request = request
        try await authorizer.authorize(&request, logger: context.logger)
        return try await next(request, context)
    }
}
