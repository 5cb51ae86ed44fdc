import Crypto
import Foundation

/// A throwaway SSH public key for worker VMs.
///
/// Azure requires a key (or a password) to create a Linux VM. Workers are never logged into: the appliance
/// makes an Ed25519 key pair, gives Azure the public half, and forgets the private half.
enum SSHKey {
    /// A new `ssh-ed25519 …` public key line whose private key nobody keeps.
    static func throwaway(comment: String) -> String {
        let publicKey = Curve25519.Signing.PrivateKey().publicKey.rawRepresentation
        var blob = Data()
        for part in [Data("ssh-ed25519".utf8), publicKey] {
            let count = UInt32(part.count)
            blob.append(contentsOf: [
                UInt8(count >> 24), UInt8(count >> 16 & 0xff), UInt8(count >> 8 & 0xff), UInt8(count & 0xff),
            ])
            blob.append(part)
        }
        return "ssh-ed25519 \(blob.base64EncodedString()) \(comment)"
    }
}
