import AzureKit
import Crypto
import Foundation

/// Issues and verifies LocalCloud's access tokens: ES256-signed JWTs whose key is kept in
/// `DIR/identity/signing-key.pem` and published as a JWKS.
public final class TokenIssuer: Sendable {
    /// The claims LocalCloud puts in (and checks on) a token.
    public struct Claims: Sendable, Codable, Hashable {
        /// Audience, e.g. `https://management.azure.com/`.
        public var aud: String
        /// Issuer, `https://sts.windows.net/{tenant}/`.
        public var iss: String
        /// Issued at (seconds since 1970).
        public var iat: Int
        /// Not before.
        public var nbf: Int
        /// Expiry.
        public var exp: Int
        /// The application (client) ID.
        public var appid: String
        /// Object ID of the service principal.
        public var oid: String
        /// Subject.
        public var sub: String
        /// Tenant ID.
        public var tid: String
        /// Token version.
        public var ver: String
    }

    /// Why a token was refused.
    public enum Rejection: Error, Sendable, Equatable {
        /// Not a well-formed JWT, or not signed by this instance.
        case invalid
        /// Signed, but expired (the expiry time is given).
        case expired(Date)
        /// Signed, but for another audience.
        case wrongAudience(String)
    }

    /// The key ID in token headers and the JWKS.
    public let keyID: String
    private let key: P256.Signing.PrivateKey
    /// How long issued tokens are valid.
    public let lifetime: TimeInterval

    /// Loads the signing key from `directory`, creating it on first use.
    public init(directory: URL, lifetime: TimeInterval = 3599) throws {
        let path = directory.appendingPathComponent("signing-key.pem")
        if FileManager.default.fileExists(atPath: path.path) {
            do {
                key = try P256.Signing.PrivateKey(
                    pemRepresentation: String(decoding: try Data(contentsOf: path), as: UTF8.self)
                )
            } catch {
                throw LocalCloudError(
                    .state,
                    "Could not read the token signing key \(path.path); remove it to create a new one.",
                    cause: error
                )
            }
        } else {
            key = P256.Signing.PrivateKey()
            try AtomicFile.write(Data(key.pemRepresentation.utf8), to: path, permissions: AtomicFile.secret)
        }
        let digest = SHA256.hash(data: key.publicKey.x963Representation)
        keyID = Base64URL.encode(Data(digest.prefix(16)))
        self.lifetime = lifetime
    }

    /// Issues a token for `clientID` in `tenantID` with audience `audience`.
    public func issue(clientID: String, tenantID: String, audience: String, now: Date = Date()) throws -> (
        token: String, expiresIn: Int
    ) {
        let issued = Int(now.timeIntervalSince1970)
        let claims = Claims(
            aud: audience,
            iss: "https://sts.windows.net/\(tenantID)/",
            iat: issued,
            nbf: issued - 300,
            exp: issued + Int(lifetime),
            appid: clientID,
            oid: clientID,
            sub: clientID,
            tid: tenantID,
            ver: "1.0"
        )
        let header: AzureJSON = ["alg": "ES256", "typ": "JWT", "kid": .string(keyID)]
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let signingInput = Base64URL.encode(header.serialized()) + "." + Base64URL.encode(try encoder.encode(claims))
        let signature = try key.signature(for: Data(signingInput.utf8))
        return (signingInput + "." + Base64URL.encode(signature.rawRepresentation), Int(lifetime))
    }

    /// Verifies `token` and returns its claims, or why it was refused.
    public func verify(_ token: String, audiences: Set<String>, now: Date = Date()) -> Result<Claims, Rejection> {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3,
            let signatureBytes = Base64URL.decode(String(parts[2])),
            let signature = try? P256.Signing.ECDSASignature(rawRepresentation: signatureBytes),
            key.publicKey.isValidSignature(signature, for: Data("\(parts[0]).\(parts[1])".utf8)),
            let payload = Base64URL.decode(String(parts[1])),
            let claims = try? JSONDecoder().decode(Claims.self, from: payload)
        else { return .failure(.invalid) }
        let normalized = Set(audiences.map(Self.normalizeAudience))
        guard normalized.contains(Self.normalizeAudience(claims.aud)) else {
            return .failure(.wrongAudience(claims.aud))
        }
        let seconds = Int(now.timeIntervalSince1970)
        guard seconds < claims.exp else {
            return .failure(.expired(Date(timeIntervalSince1970: TimeInterval(claims.exp))))
        }
        guard seconds >= claims.nbf else { return .failure(.invalid) }
        return .success(claims)
    }

    /// The JSON Web Key Set publishing the verification key.
    public var jwks: AzureJSON {
        let raw = key.publicKey.rawRepresentation
        return [
            "keys": [
                [
                    "kty": "EC", "crv": "P-256", "use": "sig", "alg": "ES256", "kid": .string(keyID),
                    "x": .string(Base64URL.encode(raw.prefix(32))), "y": .string(Base64URL.encode(raw.suffix(32))),
                ]
            ]
        ]
    }

    static func normalizeAudience(_ audience: String) -> String {
        var value = audience.lowercased()
        while value.hasSuffix("/") { value.removeLast() }
        return value
    }
}

/// Base64url without padding (RFC 7515).
enum Base64URL {
    static func encode(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }
}
