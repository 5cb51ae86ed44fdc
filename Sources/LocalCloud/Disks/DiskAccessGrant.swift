import Crypto
import Foundation

/// One granted SAS of a disk or snapshot (`beginGetAccess`): the URL's path, permission, expiry and signing key.
///
/// The SAS URL is `https://HOST:PORT/md-<blob key>/<grant id>/abcd?sv=2018-03-28&sr=b&si=<grant id>&sig=…`:
/// path-style like every LocalCloud storage URL, with `md-<blob key>` in the account position, as Azure's `md-…`
/// host names. Like Azure's, the URL names a stored access policy (`si`) instead of carrying its permission and
/// expiry (`sp`, `se`): those stay on the service side, in the grant. `endGetAccess` deletes every grant of the
/// resource, so its URLs fail at once.
public struct DiskAccessGrant: Codable, Sendable, Equatable {
    /// `Read` or `Write`.
    public enum Access: String, Codable, Sendable {
        /// Read the data.
        case read = "Read"
        /// Read and write the data (upload).
        case write = "Write"
    }

    /// The storage version the URL names.
    public static let signedVersion = "2018-03-28"
    /// The blob name Azure uses in disk SAS URLs.
    public static let blobName = "abcd"

    /// The grant's ID, the URL's container segment.
    public var id: String
    /// The disk's or snapshot's blob key, the URL's `md-…` segment.
    public var blobKey: String
    /// The disk or snapshot ARM ID.
    public var resourceId: String
    /// What the grant allows.
    public var access: Access
    /// When the grant ends.
    public var expiry: Date
    /// The signing key, base64.
    public var key: String

    /// Creates a grant with a fresh ID and key, valid for `duration` seconds from `now`.
    public init(blobKey: String, resourceId: String, access: Access, duration: Int, now: Date) {
        self.id = Self.randomToken(length: 12)
        self.blobKey = blobKey
        self.resourceId = resourceId
        self.access = access
        self.expiry = now.addingTimeInterval(TimeInterval(duration))
        var key = [UInt8](repeating: 0, count: 32)
        for index in key.indices { key[index] = UInt8.random(in: 0...255) }
        self.key = Data(key).base64EncodedString()
    }

    /// `r` for read grants, `rw` for write grants.
    public var permissions: String { access == .read ? "r" : "rw" }

    /// The URL path: `/md-<key>/<grant>/abcd`.
    public var path: String { "/md-\(blobKey)/\(id)/\(Self.blobName)" }

    /// The expiry in ISO 8601 (seconds, UTC), as error messages name it.
    public var signedExpiry: String { Self.isoSeconds(expiry) }

    /// The full SAS URL for clients reaching LocalCloud at `baseURL` (`https://127.0.0.1:PORT`).
    public func url(baseURL: String) -> String {
        let query = [("sv", Self.signedVersion), ("sr", "b"), ("si", id), ("sig", signature(policy: id))]
        return baseURL + path + "?" + query.map { "\($0.0)=\(Self.percentEncode($0.1))" }.joined(separator: "&")
    }

    /// The signature over the policy identifier, the path and the version.
    public func signature(policy: String) -> String {
        let keyData = Data(base64Encoded: key) ?? Data()
        let text = [policy, path, Self.signedVersion].joined(separator: "\n")
        let mac = HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: SymmetricKey(data: keyData))
        return Data(mac).base64EncodedString()
    }

    /// Creates a random lowercase alphanumeric token.
    public static func randomToken(length: Int) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        return String((0..<length).map { _ in alphabet.randomElement() ?? "a" })
    }

    static func isoSeconds(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    static func percentEncode(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-_.~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }
}
