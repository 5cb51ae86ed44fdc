import Foundation
import Logging

/// Something that supplies Entra ID access tokens for a scope.
public protocol TokenCredential: Sendable {
    /// A valid token for `scope` (for example `https://management.azure.com/.default`).
    func token(scope: String, logger: Logger) async throws -> AccessToken
}
