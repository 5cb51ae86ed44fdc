import Foundation

/// The fields of an account SAS, signed with an account key. From version 2020-12-06 the
/// string-to-sign has an encryption-scope line; both layouts end with a newline.
public struct AccountSASBuilder: Sendable {
    /// The signed version, `sv`. Default `2022-11-02`.
    public var version: String = "2022-11-02"
    /// Permissions in the documented order `rwdxylacuptfi`, e.g. `rwdlac`.
    public var permissions: String
    /// Services (`ss`): a subset of `bqtf`, e.g. `bq`.
    public var services: String
    /// Resource types (`srt`): a subset of `sco`.
    public var resourceTypes: String
    /// When the SAS becomes valid (`st`).
    public var startsOn: Date?
    /// When it expires (`se`).
    public var expiresOn: Date
    /// Allowed client IP or range (`sip`).
    public var ipRange: String?
    /// Allowed protocols (`spr`).
    public var sasProtocol: SASProtocol? = .httpsOnly
    /// An encryption scope (`ses`).
    public var encryptionScope: String?

    /// Creates a builder; permission letters are put into the documented order.
    public init(permissions: String, services: String, resourceTypes: String, expiresOn: Date) {
        self.permissions = BlobSASPermissions.ordered(permissions, order: "rwdxylacuptfi")
        self.services = BlobSASPermissions.ordered(services, order: "bqtf")
        self.resourceTypes = BlobSASPermissions.ordered(resourceTypes, order: "sco")
        self.expiresOn = expiresOn
    }

    /// The string-to-sign for `accountName`.
    public func stringToSign(accountName: String) -> String {
        var fields = [
            accountName, permissions, services, resourceTypes, startsOn.map(AzureISODate.format) ?? "",
            AzureISODate.format(expiresOn), ipRange ?? "", sasProtocol?.rawValue ?? "", version,
        ]
        if version >= "2020-12-06" { fields.append(encryptionScope ?? "") }
        return fields.joined(separator: "\n") + "\n"
    }

    /// Signs the SAS with `credential`.
    public func sign(with credential: StorageSharedKeyCredential) -> SASQuery {
        var items = [
            SASItem("sv", version), SASItem("ss", services), SASItem("srt", resourceTypes), SASItem("sp", permissions),
        ]
        if let startsOn { items.append(SASItem("st", AzureISODate.format(startsOn))) }
        items.append(SASItem("se", AzureISODate.format(expiresOn)))
        if let ipRange { items.append(SASItem("sip", ipRange)) }
        if let sasProtocol { items.append(SASItem("spr", sasProtocol.rawValue)) }
        if let encryptionScope { items.append(SASItem("ses", encryptionScope)) }
        items.append(SASItem("sig", credential.signature(for: stringToSign(accountName: credential.accountName))))
        return SASQuery(items: items)
    }
}
