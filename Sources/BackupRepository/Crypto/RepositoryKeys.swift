import Crypto
import Foundation

/// The secret keys of an open repository: the data key (absent when unencrypted) and the MAC key that
/// names blocks. Never printed.
struct RepositoryKeys: Sendable {
    /// AES-256-GCM key sealing blocks and metadata objects; `nil` for an unencrypted repository.
    let dataKey: SymmetricKey?
    /// HMAC-SHA256 key giving block and node identities.
    let macKey: SymmetricKey

    var isEncrypted: Bool { dataKey != nil }

    static func random(encrypted: Bool) -> RepositoryKeys {
        RepositoryKeys(dataKey: encrypted ? SymmetricKey(size: .bits256) : nil, macKey: SymmetricKey(size: .bits256))
    }

    /// The 64 bytes stored (wrapped) in key objects: data key then MAC key.
    var material: [UInt8] {
        var bytes = [UInt8]()
        dataKey?.withUnsafeBytes { bytes.append(contentsOf: $0) }
        macKey.withUnsafeBytes { bytes.append(contentsOf: $0) }
        return bytes
    }

    init(dataKey: SymmetricKey?, macKey: SymmetricKey) {
        self.dataKey = dataKey
        self.macKey = macKey
    }

    init?(material: [UInt8]) {
        guard material.count == 64 else { return nil }
        dataKey = SymmetricKey(data: material[0..<32])
        macKey = SymmetricKey(data: material[32..<64])
    }

    /// The identity of a plaintext: HMAC-SHA256 under the MAC key.
    func identity(of bytes: UnsafeRawBufferPointer) -> BlockID {
        let mac = HMAC<SHA256>.authenticationCode(for: bytes, using: macKey)
        return mac.withUnsafeBytes { BlockID(raw: $0) }
    }

    func identity(of data: some DataProtocol) -> BlockID {
        let mac = HMAC<SHA256>.authenticationCode(for: data, using: macKey)
        return mac.withUnsafeBytes { BlockID(raw: $0) }
    }
}

extension BlockID {
    /// Creates an ID from a 32-byte buffer (big-endian words).
    init(raw: UnsafeRawBufferPointer) {
        precondition(raw.count == 32, "a block ID has 32 bytes")
        w0 = UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
        w1 = UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        w2 = UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
        w3 = UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
    }
}
