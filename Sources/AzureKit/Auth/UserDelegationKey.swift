import Crypto
import Foundation

/// A user delegation key (Get User Delegation Key): signs user-delegation SAS tokens with Entra ID
/// credentials instead of the account key. Its ``value`` is secret and never printed.
public struct UserDelegationKey: Sendable, CustomStringConvertible {
    /// The Entra object ID of the key's owner (`skoid`).
    public var signedObjectID: String
    /// The Entra tenant ID (`sktid`).
    public var signedTenantID: String
    /// When the key becomes valid (`skt`), as the service wrote it.
    public var signedStart: String
    /// When the key expires (`ske`), as the service wrote it.
    public var signedExpiry: String
    /// The service, `b` (`sks`).
    public var signedService: String
    /// The version that issued the key (`skv`).
    public var signedVersion: String
    /// The base64 key.
    public var value: String

    /// Creates a key from its fields.
    public init(
        signedObjectID: String,
        signedTenantID: String,
        signedStart: String,
        signedExpiry: String,
        signedService: String,
        signedVersion: String,
        value: String
    ) {
        self.signedObjectID = signedObjectID
        self.signedTenantID = signedTenantID
        self.signedStart = signedStart
        self.signedExpiry = signedExpiry
        self.signedService = signedService
        self.signedVersion = signedVersion
        self.value = value
    }

    /// A description without secrets.
    public var description: String {
        "UserDelegationKey(oid: \(signedObjectID), expiry: \(signedExpiry), value: \(Redaction.placeholder))"
    }

    /// Decodes a `UserDelegationKey` XML body.
    public static func decode(_ body: [UInt8]) throws -> UserDelegationKey {
        let root = try AzureXMLParser.parse(body)
        guard root.name == "UserDelegationKey", let value = root.nonEmptyChildText("Value") else {
            throw AzureError(
                .invalidResponse,
                message: "Get User Delegation Key returned no <UserDelegationKey> with a <Value>."
            )
        }
        return UserDelegationKey(
            signedObjectID: root.childText("SignedOid") ?? "",
            signedTenantID: root.childText("SignedTid") ?? "",
            signedStart: root.childText("SignedStart") ?? "",
            signedExpiry: root.childText("SignedExpiry") ?? "",
            signedService: root.childText("SignedService") ?? "",
            signedVersion: root.childText("SignedVersion") ?? "",
            value: value
        )
    }

    /// base64(HMAC-SHA256(base64decode(value), UTF-8 `stringToSign`)).
    func signature(for stringToSign: String) throws -> String {
        guard let keyData = Data(base64Encoded: value) else {
            throw AzureError(.configuration, message: "The user delegation key value is not base64; request a new key.")
        }
        let mac = HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: SymmetricKey(data: keyData))
        return Data(mac).base64EncodedString()
    }
}

extension BlobSASBuilder {
    /// The user-delegation string-to-sign for `accountName`, in the layout of ``version``: 24 fields
    /// from 2020-12-06, 26 from 2025-07-05 (`skdutid`, `sduoid` after `scid`) and 28 from 2026-04-06
    /// (`srh`, `srq` after `ses`), as Microsoft's "Create a user delegation SAS" page and the
    /// storage-blob SDK for JavaScript (`BlobSASSignatureValues`) lay them out.
    public func userDelegationStringToSign(accountName: String, key: UserDelegationKey) -> String {
        var canonical = "/blob/\(accountName)/\(container)"
        if let blob { canonical += "/\(blob)" }
        var fields = [
            permissions, startsOn.map(AzureISODate.format) ?? "", expiresOn.map(AzureISODate.format) ?? "", canonical,
            key.signedObjectID, key.signedTenantID, key.signedStart, key.signedExpiry, key.signedService,
            key.signedVersion,
            "", "", "",  // saoid, suoid, scid
        ]
        if version >= "2025-07-05" { fields += ["", ""] }  // skdutid, sduoid
        fields += [
            ipRange ?? "", sasProtocol?.rawValue ?? "", version, resource, snapshot ?? "", encryptionScope ?? "",
        ]
        if version >= "2026-04-06" { fields += ["", ""] }  // srh, srq
        fields += [
            cacheControl ?? "", contentDisposition ?? "", contentEncoding ?? "", contentLanguage ?? "",
            contentType ?? "",
        ]
        return fields.joined(separator: "\n")
    }

    /// Signs a user-delegation SAS (version 2020-12-06 or later) for `accountName` with `key`.
    /// - Throws: ``AzureError`` with code ``AzureError/Code/configuration`` for an older version, or
    ///   without permissions and expiry.
    public func sign(with key: UserDelegationKey, accountName: String) throws -> SASQuery {
        guard version >= "2020-12-06" else {
            throw AzureError(
                .configuration,
                message: "User delegation SAS needs version 2020-12-06 or later, not \(version)."
            )
        }
        // Stored access policies do not apply to user delegation SAS: `sp` and `se` are required.
        guard !permissions.isEmpty, expiresOn != nil, identifier == nil else {
            throw AzureError(
                .configuration,
                message:
                    "A user delegation SAS for \(container) needs permissions and an expiry, and cannot use a stored access policy."
            )
        }
        let signature = try key.signature(for: userDelegationStringToSign(accountName: accountName, key: key))
        let keyFields = [
            SASItem("skoid", key.signedObjectID), SASItem("sktid", key.signedTenantID), SASItem("skt", key.signedStart),
            SASItem("ske", key.signedExpiry), SASItem("sks", key.signedService), SASItem("skv", key.signedVersion),
        ]
        return SASQuery(items: queryItems(signing: keyFields) + [SASItem("sig", signature)])
    }
}
