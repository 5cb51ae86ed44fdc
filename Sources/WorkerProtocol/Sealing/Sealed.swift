import Foundation

/// A secret sealed with AES-256-GCM under a worker's key, bound to that worker, one job and one field.
///
/// On the wire it is one base64 string: the key's 8-byte ID, a 12-byte random nonce, the ciphertext of
/// the value's JSON encoding, and the 16-byte tag. The associated data names the worker, the job and the
/// field (see docs/PROTOCOL.md, "Sealed values"), so the value opens only with the same three.
/// `description` never shows the value, nor the sealed bytes.
public struct Sealed<Value: Codable & Sendable>: Sendable, Hashable, Codable, CustomStringConvertible,
    CustomDebugStringConvertible
{
    /// Key ID, nonce, ciphertext and tag.
    public let combined: Data

    /// Sealed bytes as produced by ``SealingContext/seal(_:as:)``.
    public init(combined: Data) {
        self.combined = combined
    }

    /// The ID of the key it was sealed under (hexadecimal), or `nil` when too short to hold one.
    public var keyID: String? {
        guard combined.count >= SealBox.keyIDLength else { return nil }
        return combined.prefix(SealBox.keyIDLength).map { String(format: "%02x", $0) }.joined()
    }

    /// `Sealed(n bytes)`: never the value.
    public var description: String { "Sealed(\(combined.count) bytes)" }

    /// The same as ``description``.
    public var debugDescription: String { description }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let data = Data(base64Encoded: text), data.count >= SealBox.minimumLength else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "a sealed value is base64 text of at least \(SealBox.minimumLength) bytes"
            )
        }
        combined = data
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(combined.base64EncodedString())
    }
}

/// The layout of a sealed value.
enum SealBox {
    static let keyIDLength = 8
    static let nonceLength = 12
    static let tagLength = 16
    static let minimumLength = keyIDLength + nonceLength + tagLength
    /// The first bytes of the associated data: the seal's purpose and version.
    static let label = Data("nimbus worker seal v1".utf8)
}
