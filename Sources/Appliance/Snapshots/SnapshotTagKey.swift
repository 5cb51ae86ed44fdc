import Crypto
import Foundation

/// The 32-byte AES-256-GCM key that seals the metadata tags of cloud-native snapshots.
///
/// Only the appliance holds it (encrypted at rest in the catalog). Snapshots sealed under another key (another
/// appliance's, or an older key) do not open and are ignored.
public struct SnapshotTagKey: Sendable {
    /// The key's length in bytes.
    public static let byteCount = 32

    let key: SymmetricKey

    /// A key from its 32 raw bytes.
    public init(bytes: some ContiguousBytes) throws(ApplianceError) {
        let key = SymmetricKey(data: bytes)
        guard key.bitCount == Self.byteCount * 8 else {
            throw ApplianceError.invalidInput(
                "the snapshot tag key has \(key.bitCount / 8) bytes; give exactly \(Self.byteCount) random bytes"
            )
        }
        self.key = key
    }

    /// A new random key.
    public static func random() -> SnapshotTagKey {
        SnapshotTagKey(key: SymmetricKey(size: .bits256))
    }

    private init(key: SymmetricKey) {
        self.key = key
    }

    /// The raw bytes, to store (encrypted) in the catalog.
    public var bytes: Data { key.withUnsafeBytes { Data($0) } }
}
