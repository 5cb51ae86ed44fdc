import Crypto
import Foundation

/// The per-worker key that seals the secrets in queue messages: 256 random bits, made by the appliance
/// and handed to one worker once, at bootstrap.
///
/// The key never appears in a `description`, a log line or a debugger summary: only its ``keyID`` does,
/// which identifies it without revealing it. Its base64 text (``base64``) is for the bootstrap's
/// configuration file and the appliance's catalog only.
public struct WorkerKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The key's length in bytes.
    public static let byteCount = 32

    let symmetric: SymmetricKey

    /// The key's ID: the first 8 bytes of HMAC-SHA-256 of a fixed label under the key, in hexadecimal.
    /// Two keys with the same ID are, for every practical purpose, the same key.
    public let keyID: String

    /// A new random key.
    public static func generate() -> WorkerKey {
        WorkerKey(symmetric: SymmetricKey(size: .bits256))
    }

    /// The key from the bytes given; `nil` unless there are exactly 32.
    public init?(bytes: some ContiguousBytes) {
        let key = SymmetricKey(data: bytes)
        guard key.bitCount == Self.byteCount * 8 else { return nil }
        self.init(symmetric: key)
    }

    /// The key from its base64 text (``base64``); `nil` unless it decodes to exactly 32 bytes.
    public init?(base64: String) {
        guard let data = Data(base64Encoded: base64.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            return nil
        }
        self.init(bytes: data)
    }

    init(symmetric: SymmetricKey) {
        self.symmetric = symmetric
        let mac = HMAC<SHA256>.authenticationCode(for: Data("nimbus worker key id v1".utf8), using: symmetric)
        keyID = Data(mac).prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    /// The key as base64 text, for the bootstrap's configuration file. Treat it as the secret it is.
    public var base64: String {
        symmetric.withUnsafeBytes { Data($0).base64EncodedString() }
    }

    /// `WorkerKey(id …, redacted)`: never the key itself.
    public var description: String { "WorkerKey(id \(keyID), redacted)" }

    /// The same as ``description``.
    public var debugDescription: String { description }
}

extension WorkerKey: Equatable {
    /// Keys are equal when their bytes are (compared in constant time).
    public static func == (lhs: WorkerKey, rhs: WorkerKey) -> Bool {
        lhs.symmetric == rhs.symmetric
    }
}

extension WorkerKey: Codable {
    /// Decodes the key from its base64 text.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        guard let key = WorkerKey(base64: try container.decode(String.self)) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "a worker key is the base64 text of exactly 32 bytes"
            )
        }
        self = key
    }

    /// Encodes the key as its base64 text: only configuration files and the appliance's catalog hold it.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(base64)
    }
}
