import Foundation
import Logging

/// A fixed token, for tests or when a token is obtained elsewhere.
public struct StaticTokenCredential: TokenCredential {
    /// The token.
    public var accessToken: AccessToken

    /// Creates the credential; `expiresOn` defaults to one hour from now.
    public init(token: String, expiresOn: Date = Date().addingTimeInterval(3600)) {
        self.accessToken = AccessToken(token: token, expiresOn: expiresOn)
    }

    /// A valid token for `scope`, from the cache or a (shared) refresh.
    public func token(scope: String, logger: Logger) async throws -> AccessToken { accessToken }
}
