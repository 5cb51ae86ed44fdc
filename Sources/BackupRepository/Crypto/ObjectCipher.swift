import Crypto
import Foundation

/// Seals and opens repository objects and blocks.
///
/// Encrypted repositories use AES-256-GCM with a random 96-bit nonce: `nonce ‖ ciphertext ‖ tag`.
/// Unencrypted repositories store metadata as `plaintext ‖ HMAC-SHA256(macKey, aad ‖ plaintext)` and blocks
/// as bare plaintext (a block is checked by recomputing its identity).
struct ObjectCipher: Sendable {
    let keys: RepositoryKeys

    /// Bytes added to a sealed metadata object.
    var metadataOverhead: Int { keys.isEncrypted ? 28 : 32 }

    func sealMetadata(_ plaintext: some DataProtocol, aad: some DataProtocol) throws -> Data {
        if let dataKey = keys.dataKey {
            let box = try AES.GCM.seal(plaintext, using: dataKey, nonce: AES.GCM.Nonce(), authenticating: aad)
            guard let combined = box.combined else { throw RepositoryError(.invalidArgument, "AES-GCM sealing failed") }
            return combined
        }
        var mac = HMAC<SHA256>(key: keys.macKey)
        mac.update(data: aad)
        mac.update(data: plaintext)
        var out = Data(plaintext)
        out.append(contentsOf: mac.finalize())
        return out
    }

    /// Opens a sealed metadata object; `nil` when authentication fails.
    func openMetadata(_ sealed: Data, aad: some DataProtocol) -> Data? {
        if let dataKey = keys.dataKey {
            guard sealed.count >= 28, let box = try? AES.GCM.SealedBox(combined: sealed) else { return nil }
            return try? AES.GCM.open(box, using: dataKey, authenticating: aad)
        }
        guard sealed.count >= 32 else { return nil }
        let body = sealed.prefix(sealed.count - 32)
        // The tag is checked in constant time, so its bytes cannot be guessed one by one from timings.
        var authenticated = Data(capacity: aad.count + body.count)
        authenticated.append(contentsOf: aad)
        authenticated.append(body)
        guard
            HMAC<SHA256>.isValidAuthenticationCode(sealed.suffix(32), authenticating: authenticated, using: keys.macKey)
        else { return nil }
        return Data(body)
    }

    /// Seals one block payload, binding its identity and flags.
    func sealBlock(_ payload: UnsafeRawBufferPointer, id: BlockID, flags: UInt8) throws -> Data {
        guard let dataKey = keys.dataKey else { return Data(payload) }
        let box = try AES.GCM.seal(payload, using: dataKey, nonce: AES.GCM.Nonce(), authenticating: id.blockAAD(flags))
        guard let combined = box.combined else { throw RepositoryError(.invalidArgument, "AES-GCM sealing failed") }
        return combined
    }

    /// Opens one sealed block; `nil` when authentication fails.
    func openBlock(_ sealed: Data, id: BlockID, flags: UInt8) -> Data? {
        guard let dataKey = keys.dataKey else { return sealed }
        guard sealed.count >= 28, let box = try? AES.GCM.SealedBox(combined: sealed) else { return nil }
        return try? AES.GCM.open(box, using: dataKey, authenticating: id.blockAAD(flags))
    }
}

extension BlockID {
    /// Associated data of a sealed block: the 32 ID bytes then the flags byte.
    func blockAAD(_ flags: UInt8) -> [UInt8] {
        var aad = bytes
        aad.append(flags)
        return aad
    }
}
