import Foundation

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
