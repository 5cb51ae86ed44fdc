import Crypto
import Foundation
import GRDB

/// A bearer token of the REST API; only the SHA-256 of the token is stored.
public struct APITokenRecord: CatalogRecord, Hashable, Identifiable {
    public static let databaseTableName = "apiTokens"

    /// What the token may do.
    public enum Role: String, Codable, Sendable, CaseIterable {
        /// Everything.
        case admin
        /// Run, stop and retry sessions; read everything.
        case `operator`
        /// Read only.
        case viewer
    }

    /// The token's ID.
    public var id: UUID
    /// A unique name a person chose.
    public var name: String
    /// What it may do.
    public var role: Role
    /// SHA-256 of the token's text, in lowercase hex.
    public var tokenHash: String
    /// When it was created.
    public var created: Date
    /// When it was revoked; a revoked token opens nothing.
    public var revoked: Date?

    /// A token record for `token` (the hash is taken here; the token itself is never stored).
    public init(id: UUID = UUID(), name: String, role: Role, token: String, created: Date, revoked: Date? = nil) {
        self.id = id
        self.name = name
        self.role = role
        self.tokenHash = Self.hash(of: token)
        self.created = created
        self.revoked = revoked
    }

    /// SHA-256 of `token`'s UTF-8 text, in lowercase hex.
    public static func hash(of token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// A new random token: 32 bytes, base64url without padding.
    public static func generateToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
