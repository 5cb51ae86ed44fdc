import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// A service principal's client ID and secret, exchanged for tokens with the OAuth 2.0
/// client-credentials grant at `{authority}/{tenant}/oauth2/v2.0/token`.
///
/// Tokens are cached per scope and refreshed five minutes before expiry; concurrent callers
/// share one refresh. The secret never appears in descriptions or logs.
public struct ClientSecretCredential: TokenCredential, CustomStringConvertible {
    /// The tenant ID.
    public let tenantID: String
    /// The application (client) ID.
    public let clientID: String
    let clientSecret: String
    let authorityHost: URL
    let client: AzureClient
    let cache: TokenCache
    let now: @Sendable () -> Date

    /// Creates the credential.
    /// - Parameters:
    ///   - authorityHost: The Entra ID authority, ``AzureEnvironment/authorityHost``.
    ///   - client: The HTTP client token requests go through.
    ///   - now: The clock (tests inject one).
    public init(
        tenantID: String,
        clientID: String,
        clientSecret: String,
        authorityHost: URL,
        client: AzureClient,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.tenantID = tenantID
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.authorityHost = authorityHost
        self.client = client
        self.now = now
        self.cache = TokenCache(refreshMargin: 300, now: now)
    }

    /// A description without secrets.
    public var description: String { "ClientSecretCredential(tenant: \(tenantID), client: \(clientID))" }

    /// The token endpoint, `{authority}/{tenant}/oauth2/v2.0/token`.
    public var tokenEndpoint: URL {
        authorityHost.appending(path: tenantID).appending(path: "oauth2/v2.0/token")
    }

    /// A valid token for `scope`, from the cache or a (shared) refresh.
    public func token(scope: String, logger: Logger) async throws -> AccessToken {
        try await cache.token(scope: scope) { try await fetch(scope: scope, logger: logger) }
    }

    func fetch(scope: String, logger: Logger) async throws -> AccessToken {
        let form = URLEncoding.query([
            ("client_id", clientID), ("scope", scope), ("client_secret", clientSecret),
            ("grant_type", "client_credentials"),
        ])
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        headers.add(name: "Accept", value: "application/json")
        let request = AzureHTTPRequest(
            method: .POST,
            url: tokenEndpoint,
            headers: headers,
            body: AzureHTTPBody(string: form),
            isIdempotent: true
        )
        let requested = now()
        let body: [UInt8]
        do {
            let result = try await client.executeBuffered(
                request,
                operation: "entra.token",
                authorizer: nil,
                logger: logger
            )
            body = Array(result.body.readableBytesView)
        } catch let error as AzureError where error.code == .service {
            throw AzureError(
                .authentication,
                status: error.status,
                azureCode: error.azureCode,
                message: "Entra ID refused a token for client \(clientID) in tenant \(tenantID): \(error.message)",
                requestID: error.requestID,
                resource: tokenEndpoint.absoluteString
            )
        }
        return try TokenResponse.decode(
            body,
            requested: requested,
            source: "Entra ID token endpoint \(tokenEndpoint.absoluteString)"
        )
    }
}
