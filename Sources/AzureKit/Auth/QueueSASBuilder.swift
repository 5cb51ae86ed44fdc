import Foundation

/// The fields of a Queue service SAS (version 2015-04-05 and later), signed with an account key.
public struct QueueSASBuilder: Sendable {
    /// The signed version, `sv`. Default `2022-11-02`.
    public var version: String = "2022-11-02"
    /// The queue.
    public var queue: String
    /// Permissions, e.g. `raup`.
    public var permissions: QueueSASPermissions
    /// When the SAS becomes valid (`st`).
    public var startsOn: Date?
    /// When it expires (`se`).
    public var expiresOn: Date?
    /// Allowed client IP or range (`sip`).
    public var ipRange: String?
    /// Allowed protocols (`spr`).
    public var sasProtocol: SASProtocol? = .httpsOnly
    /// A stored access policy ID (`si`).
    public var identifier: String?

    /// Creates a builder.
    public init(queue: String, permissions: QueueSASPermissions, expiresOn: Date?) {
        self.queue = queue
        self.permissions = permissions
        self.expiresOn = expiresOn
    }

    /// The string-to-sign for `accountName`.
    public func stringToSign(accountName: String) -> String {
        [
            permissions.rawValue, startsOn.map(AzureISODate.format) ?? "", expiresOn.map(AzureISODate.format) ?? "",
            "/queue/\(accountName)/\(queue)", identifier ?? "", ipRange ?? "", sasProtocol?.rawValue ?? "", version,
        ].joined(separator: "\n")
    }

    /// Signs the SAS with `credential`.
    public func sign(with credential: StorageSharedKeyCredential) -> SASQuery {
        var items = [SASItem("sv", version)]
        if let startsOn { items.append(SASItem("st", AzureISODate.format(startsOn))) }
        if let expiresOn { items.append(SASItem("se", AzureISODate.format(expiresOn))) }
        if !permissions.rawValue.isEmpty { items.append(SASItem("sp", permissions.rawValue)) }
        if let ipRange { items.append(SASItem("sip", ipRange)) }
        if let sasProtocol { items.append(SASItem("spr", sasProtocol.rawValue)) }
        if let identifier { items.append(SASItem("si", identifier)) }
        items.append(SASItem("sig", credential.signature(for: stringToSign(accountName: credential.accountName))))
        return SASQuery(items: items)
    }
}
