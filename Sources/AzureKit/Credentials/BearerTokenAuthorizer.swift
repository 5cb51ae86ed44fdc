import Foundation
import Logging
import NIOHTTP1

/// Authorizes requests with `Authorization: Bearer <token>` from a ``TokenCredential``.
public struct BearerTokenAuthorizer: RequestAuthorizer {
    /// The credential.
    public var credential: any TokenCredential
    /// The scope tokens are requested for.
    public var scope: String

    /// Creates an authorizer.
    public init(credential: any TokenCredential, scope: String) {
        self.credential = credential
        self.scope = scope
    }

    /// Adds the `Authorization` header (and `x-ms-date` where signed) to `request`.
    public func authorize(_ request: inout AzureHTTPRequest, logger: Logger) async throws {
        let token = try await credential.token(scope: scope, logger: logger)
        request.headers.replaceOrAdd(name: "Authorization", value: "Bearer \(token.token)")
    }
}
