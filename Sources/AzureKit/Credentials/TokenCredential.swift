import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// An OAuth access token and when it expires.
public struct AccessToken: Sendable, CustomStringConvertible {
    /// The bearer token (secret).
    public var token: String
    /// When the token stops being valid.
    public var expiresOn: Date

    /// Creates a token.
    public init(token: String, expiresOn: Date) {
        self.token = token
        self.expiresOn = expiresOn
    }

    /// A description without the token.
    public var description: String { "AccessToken(expiresOn: \(AzureISODate.format(expiresOn)))" }
}

/// Something that supplies Entra ID access tokens for a scope.
public protocol TokenCredential: Sendable {
    /// A valid token for `scope` (for example `https://management.azure.com/.default`).
    func token(scope: String, logger: Logger) async throws -> AccessToken
}

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

    public func authorize(_ request: inout AzureHTTPRequest, logger: Logger) async throws {
        let token = try await credential.token(scope: scope, logger: logger)
        request.headers.replaceOrAdd(name: "Authorization", value: "Bearer \(token.token)")
    }
}

/// A fixed token, for tests or when a token is obtained elsewhere.
public struct StaticTokenCredential: TokenCredential {
    /// The token.
    public var accessToken: AccessToken

    /// Creates the credential; `expiresOn` defaults to one hour from now.
    public init(token: String, expiresOn: Date = Date().addingTimeInterval(3600)) {
        self.accessToken = AccessToken(token: token, expiresOn: expiresOn)
    }

    public func token(scope: String, logger: Logger) async throws -> AccessToken { accessToken }
}
