import Foundation

/// The fields of a Blob service SAS (container, blob or blob snapshot), signed with an account key.
///
/// The string-to-sign layout follows ``version`` (`sv`): 2020-12-06 and later (16 fields with
/// `ses`), 2018-11-09 to 2020-10-02 (15 fields), 2015-04-05 to 2018-03-28 (13 fields).
public struct BlobSASBuilder: Sendable {
    /// The signed version, `sv`. Default `2022-11-02`.
    public var version: String = "2022-11-02"
    /// Permissions in the documented order, e.g. `racwdl` (see ``BlobSASPermissions``).
    public var permissions: String = ""
    /// When the SAS becomes valid (`st`), if restricted.
    public var startsOn: Date?
    /// When the SAS expires (`se`); optional only with a stored access policy (``identifier``).
    public var expiresOn: Date?
    /// The container.
    public var container: String
    /// The blob, or `nil` for a container SAS.
    public var blob: String?
    /// A blob snapshot time (`sr=bs`), if the SAS is for a snapshot.
    public var snapshot: String?
    /// Allowed client IP or range (`sip`).
    public var ipRange: String?
    /// Allowed protocols (`spr`).
    public var sasProtocol: SASProtocol? = .httpsOnly
    /// A stored access policy ID (`si`).
    public var identifier: String?
    /// An encryption scope (`ses`).
    public var encryptionScope: String?
    /// Response header overrides (`rscc`, `rscd`, `rsce`, `rscl`, `rsct`).
    public var cacheControl: String?
    /// Overrides `Content-Disposition` of the response.
    public var contentDisposition: String?
    /// Overrides `Content-Encoding` of the response.
    public var contentEncoding: String?
    /// Overrides `Content-Language` of the response.
    public var contentLanguage: String?
    /// Overrides `Content-Type` of the response.
    public var contentType: String?

    /// Creates a builder for a container (`blob == nil`) or blob SAS.
    public init(container: String, blob: String? = nil, permissions: BlobSASPermissions, expiresOn: Date?) {
        self.container = container
        self.blob = blob
        self.permissions = permissions.rawValue
        self.expiresOn = expiresOn
    }

    /// The signed resource, `sr`: `c`, `b` or `bs`.
    public var resource: String {
        guard blob != nil else { return "c" }
        return snapshot == nil ? "b" : "bs"
    }

    /// The string-to-sign for `accountName`.
    public func stringToSign(accountName: String) -> String {
        var canonical = "/blob/\(accountName)/\(container)"
        if let blob { canonical += "/\(blob)" }
        let start = startsOn.map(AzureISODate.format) ?? ""
        let expiry = expiresOn.map(AzureISODate.format) ?? ""
        var fields = [
            permissions, start, expiry, canonical, identifier ?? "", ipRange ?? "", sasProtocol?.rawValue ?? "",
            version,
        ]
        if version >= "2018-11-09" {
            fields += [resource, snapshot ?? ""]
            if version >= "2020-12-06" { fields.append(encryptionScope ?? "") }
        }
        fields += [
            cacheControl ?? "", contentDisposition ?? "", contentEncoding ?? "", contentLanguage ?? "",
            contentType ?? "",
        ]
        return fields.joined(separator: "\n")
    }

    /// Signs the SAS with `credential`.
    public func sign(with credential: StorageSharedKeyCredential) -> SASQuery {
        let signature = credential.signature(for: stringToSign(accountName: credential.accountName))
        let policy = identifier.map { [SASItem("si", $0)] } ?? []
        return SASQuery(items: queryItems(signing: policy) + [SASItem("sig", signature)])
    }

    /// The query parameters both SAS kinds emit, with `signing` (the stored policy, or the user
    /// delegation key's fields) after `spr`; every field of the string-to-sign that is set appears.
    func queryItems(signing: [SASItem]) -> [SASItem] {
        var items = [SASItem("sv", version)]
        if let startsOn { items.append(SASItem("st", AzureISODate.format(startsOn))) }
        if let expiresOn { items.append(SASItem("se", AzureISODate.format(expiresOn))) }
        items.append(SASItem("sr", resource))
        if !permissions.isEmpty { items.append(SASItem("sp", permissions)) }
        if let ipRange { items.append(SASItem("sip", ipRange)) }
        if let sasProtocol { items.append(SASItem("spr", sasProtocol.rawValue)) }
        items += signing
        if let encryptionScope { items.append(SASItem("ses", encryptionScope)) }
        let overrides = [
            ("rscc", cacheControl), ("rscd", contentDisposition), ("rsce", contentEncoding), ("rscl", contentLanguage),
            ("rsct", contentType),
        ]
        for (name, value) in overrides {
            if let value { items.append(SASItem(name, value)) }
        }
        return items
    }
}
