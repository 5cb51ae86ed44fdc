import Crypto
import Foundation
import _CryptoExtras

/// The scrypt cost parameters used to derive a key-encryption key from a password.
///
/// They are stored in each key object, so they can be raised for new keys without touching old ones.
public struct ScryptParameters: Codable, Sendable, Hashable {
    /// CPU/memory cost `N` (a power of two).
    public var n: Int
    /// Block size `r`.
    public var r: Int
    /// Parallelism `p`.
    public var p: Int

    /// Creates parameters; `n` must be a power of two greater than 1.
    public init(n: Int, r: Int, p: Int) {
        self.n = n
        self.r = r
        self.p = p
    }

    /// The default: N = 2^16, r = 8, p = 1 — 64 MiB of memory and roughly 0.3–0.5 s on a current server core.
    public static let standard = ScryptParameters(n: 1 << 16, r: 8, p: 1)

    #if DEBUG
    /// Deliberately weak parameters (N = 2^10) for tests only: they make a password easy to guess.
    /// Debug builds only; a release build cannot make such keys by name.
    public static let weakForTesting = ScryptParameters(n: 1 << 10, r: 8, p: 1)
    #endif

    /// The memory scrypt needs with these parameters, in bytes.
    public var memory: Int { 128 * n * r * p }

    /// Whether these parameters cost less memory or less work than `other`.
    public func isWeaker(than other: ScryptParameters) -> Bool {
        memory < other.memory || n * r * p < other.n * other.r * other.p
    }

    var isValid: Bool {
        n > 1 && n.nonzeroBitCount == 1 && n <= 1 << 22 && (1...32).contains(r) && (1...16).contains(p)
            && memory <= 256 << 20
    }

    /// Derives a 256-bit key from `password` and `salt`.
    func deriveKey(password: String, salt: [UInt8]) throws -> SymmetricKey {
        guard isValid else {
            throw RepositoryError(
                .invalidArgument,
                "scrypt parameters N=\(n) r=\(r) p=\(p) are out of the supported range"
            )
        }
        return try KDF.Scrypt.deriveKey(
            from: Array(password.utf8),
            salt: salt,
            outputByteCount: 32,
            rounds: n,
            blockSize: r,
            parallelism: p
        )
    }
}
