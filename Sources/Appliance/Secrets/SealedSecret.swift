import Crypto
import Foundation

/// A secret sealed with AES-256-GCM under the ``MasterKey``, bound to its ``SecretBinding``, kept as base64 text.
///
/// The text is a version byte (1), the 12-byte nonce, the ciphertext and the 16-byte tag. `description` never
/// shows the value, sealed or not.
public struct SealedSecret: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The base64 text stored in the catalog.
    public let base64: String

    private static let version: UInt8 = 1

    /// Wraps stored text; it is checked when opened.
    public init(base64: String) {
        self.base64 = base64
    }

    /// Seals `plaintext` under `key` for `binding`.
    public init(sealing plaintext: String, with key: MasterKey, for binding: SecretBinding) throws(ApplianceError) {
        do {
            let box = try AES.GCM.seal(
                Data(plaintext.utf8),
                using: key.key,
                authenticating: binding.associatedData
            )
            guard let combined = box.combined else {
                throw ApplianceError.invalidInput("cannot seal the secret \(binding): no combined form")
            }
            base64 = (Data([Self.version]) + combined).base64EncodedString()
        } catch let error as ApplianceError {
            throw error
        } catch {
            throw ApplianceError.invalidInput("cannot seal the secret \(binding): \(error)")
        }
    }

    /// The plaintext, when `key` is the key it was sealed with and `binding` where it was sealed for.
    /// - Throws: ``ApplianceError/corrupt(_:)`` naming the secret and the key file; never the value.
    public func open(with key: MasterKey, for binding: SecretBinding) throws(ApplianceError) -> String {
        guard let data = Data(base64Encoded: base64), data.count > 1 + 12 + 16, data.first == Self.version else {
            throw ApplianceError.corrupt(
                "the secret \(binding) is not a sealed value of this version: set it again"
            )
        }
        let opened: Data
        do {
            let box = try AES.GCM.SealedBox(combined: data.dropFirst())
            opened = try AES.GCM.open(box, using: key.key, authenticating: binding.associatedData)
        } catch {
            throw ApplianceError.corrupt(
                "the secret \(binding) does not open with the \(key): the key file is not the one it was sealed "
                    + "with, or the value was changed; restore the right key file or set the secret again"
            )
        }
        guard let text = String(data: opened, encoding: .utf8) else {
            throw ApplianceError.corrupt("the secret \(binding) is not text: set it again")
        }
        return text
    }

    public var description: String { "<sealed secret>" }

    public init(from decoder: any Decoder) throws {
        base64 = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(base64)
    }
}
