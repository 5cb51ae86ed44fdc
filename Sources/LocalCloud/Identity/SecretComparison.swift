import Crypto
import Foundation

/// Compares secrets (client secrets, signatures, SAS `sig` values) without revealing through timing how much of a
/// guess was right.
///
/// Both sides are authenticated with a key drawn once per process, and swift-crypto compares the two codes in
/// constant time. So neither the position of the first differing byte nor the length of the secret shows.
enum SecretComparison {
    private static let key = SymmetricKey(size: .bits256)

    /// Whether `presented` equals `expected`, in time independent of where they differ.
    static func matches(_ presented: some StringProtocol, _ expected: some StringProtocol) -> Bool {
        let code = HMAC<SHA256>.authenticationCode(for: Data(expected.utf8), using: key)
        return HMAC<SHA256>.isValidAuthenticationCode(code, authenticating: Data(presented.utf8), using: key)
    }
}
