import Crypto
import Foundation

/// A key object `keys/<id>`: the repository keys wrapped under a key derived from one password.
public struct KeyFile: Codable, Sendable, Hashable {
    /// Always 1.
    public var version: Int
    /// The key's ID (16 hex digits), also the last part of its object key.
    public var id: String
    /// When the key was added.
    public var created: Date
    /// A free-form label (for example who uses the password).
    public var label: String
    /// Always `"scrypt"`.
    public var kdf: String
    /// scrypt N.
    public var n: Int
    /// scrypt r.
    public var r: Int
    /// scrypt p.
    public var p: Int
    /// The 32-byte scrypt salt, base64.
    public var salt: String
    /// AES-256-GCM `nonce ‖ ciphertext ‖ tag` of the 64 key bytes, base64.
    public var wrapped: String
    /// The ID of the repository the key belongs to, which is also bound into `wrapped`; absent in keys
    /// made before it was recorded.
    public var repository: String?
    /// SHA-256 (hex) of the other fields (``checksum``), so that an altered key object is reported as
    /// damaged rather than as a wrong password; absent in keys made before it was recorded.
    public var check: String?

    static let prefix = "keys/"

    var objectKey: String { Self.prefix + id }

    var parameters: ScryptParameters { ScryptParameters(n: n, r: r, p: p) }

    static func aad(repositoryID: String) -> [UInt8] {
        Array("nimbus-key:\(repositoryID)".utf8)
    }

    /// Wraps `keys` under `password`.
    static func make(
        keys: RepositoryKeys,
        password: String,
        parameters: ScryptParameters,
        repositoryID: String,
        label: String
    ) throws -> KeyFile {
        guard !password.isEmpty else {
            throw RepositoryError(.invalidArgument, "the password is empty; choose a non-empty password")
        }
        var generator = SystemRandomNumberGenerator()
        let salt = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let idBytes = (0..<8).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let wrappingKey = try parameters.deriveKey(password: password, salt: salt)
        let box = try AES.GCM.seal(
            keys.material,
            using: wrappingKey,
            nonce: AES.GCM.Nonce(),
            authenticating: aad(repositoryID: repositoryID)
        )
        guard let combined = box.combined else { throw RepositoryError(.invalidArgument, "AES-GCM sealing failed") }
        var file = KeyFile(
            version: 1,
            id: idBytes.hexString,
            created: Date(),
            label: label,
            kdf: "scrypt",
            n: parameters.n,
            r: parameters.r,
            p: parameters.p,
            salt: Data(salt).base64EncodedString(),
            wrapped: combined.base64EncodedString(),
            repository: repositoryID
        )
        file.check = file.checksum
        return file
    }

    /// SHA-256 (hex) over every field but `check` and `created`, each as its UTF-8 length, `:` and its
    /// text, in declaration order: `version id label kdf n r p salt wrapped repository`.
    var checksum: String {
        let fields = ["\(version)", id, label, kdf, "\(n)", "\(r)", "\(p)", salt, wrapped, repository ?? ""]
        let text = fields.map { "\($0.utf8.count):\($0)" }.joined()
        return Array(SHA256.hash(data: Data(text.utf8))).hexString
    }

    /// Why this key object cannot be used, or `nil` when its fields are well formed. A key that fails
    /// this check is damaged; one that passes may still not open with a given password.
    var defect: String? {
        guard version == 1, kdf == "scrypt" else { return "it has version \(version) and KDF '\(kdf)'" }
        guard parameters.isValid else { return "its scrypt parameters N=\(n) r=\(r) p=\(p) are out of range" }
        guard let saltBytes = Data(base64Encoded: salt), saltBytes.count == 32,
            Data(base64Encoded: wrapped)?.count == 12 + 64 + 16
        else { return "its salt or wrapped keys are not valid base64 of the right length" }
        if let check, check != checksum { return "its fields do not match its checksum (it was altered)" }
        return nil
    }

    /// Unwraps the repository keys, or returns `nil` when the password does not open this key.
    func unwrap(password: String, repositoryID: String, location: String) throws -> RepositoryKeys? {
        guard defect == nil, let salt = Data(base64Encoded: salt), let wrappedBytes = Data(base64Encoded: wrapped)
        else {
            throw RepositoryError.damaged(objectKey, location: location, defect ?? "its fields are invalid")
        }
        let wrappingKey = try parameters.deriveKey(password: password, salt: Array(salt))
        guard let box = try? AES.GCM.SealedBox(combined: wrappedBytes),
            let material = try? AES.GCM.open(
                box,
                using: wrappingKey,
                authenticating: Self.aad(repositoryID: repositoryID)
            )
        else { return nil }
        return RepositoryKeys(material: Array(material))
    }
}
