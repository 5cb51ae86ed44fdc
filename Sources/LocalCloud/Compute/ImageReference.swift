/// A marketplace image: publisher, offer, SKU and version.
public struct ImageReference: Codable, Sendable, Hashable {
    /// The publisher, for example `Canonical`.
    public var publisher: String?
    /// The offer, for example `0001-com-ubuntu-server-jammy`.
    public var offer: String?
    /// The SKU, for example `22_04-lts-gen2`.
    public var sku: String?
    /// The version, usually `latest`.
    public var version: String?
    /// The version `latest` resolved to, reported by Azure on the VM's image reference.
    public var exactVersion: String?
    /// A custom image's ARM ID (not supported by LocalCloud).
    public var id: String?

    /// Creates an image reference.
    public init(publisher: String?, offer: String?, sku: String?, version: String?) {
        self.publisher = publisher
        self.offer = offer
        self.sku = sku
        self.version = version
    }

    /// Parses the URN form `Publisher:Offer:Sku:Version`.
    public init?(urn: String) {
        let parts = urn.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4, parts.allSatisfy({ !$0.isEmpty }) else { return nil }
        self.init(publisher: parts[0], offer: parts[1], sku: parts[2], version: parts[3])
    }

    /// Ubuntu Server 22.04 LTS, generation 2: `Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:latest`.
    public static let ubuntu2204 = ImageReference(
        publisher: "Canonical",
        offer: "0001-com-ubuntu-server-jammy",
        sku: "22_04-lts-gen2",
        version: "latest"
    )

    /// One image LocalCloud can deploy: its reference, OS disk size in GiB, exact version and Hyper-V generation.
    typealias CatalogEntry = (image: ImageReference, diskSizeGB: Int, exactVersion: String, generation: String)

    /// The images LocalCloud can deploy, in every region.
    static let catalog: [CatalogEntry] = [
        (ubuntu2204, 30, "22.04.202410020", "V2"),
        (
            ImageReference(
                publisher: "Canonical",
                offer: "0001-com-ubuntu-server-jammy",
                sku: "22_04-lts",
                version: "latest"
            ), 30, "22.04.202410020", "V1"
        ),
        (
            ImageReference(
                publisher: "Canonical",
                offer: "ubuntu-24_04-lts",
                sku: "server",
                version: "latest"
            ), 30, "24.04.202410010", "V2"
        ),
    ]

    /// The catalog entry of this image (matching case-insensitively), or `nil` when LocalCloud does not offer it.
    var catalogEntry: CatalogEntry? {
        ImageReference.catalog.first { entry in
            entry.image.publisher?.lowercased() == publisher?.lowercased()
                && entry.image.offer?.lowercased() == offer?.lowercased()
                && entry.image.sku?.lowercased() == sku?.lowercased()
                && (version == nil || version?.lowercased() == "latest" || version == entry.exactVersion)
        }
    }

    /// The URN form.
    public var urn: String {
        "\(publisher ?? ""):\(offer ?? ""):\(sku ?? ""):\(version ?? "latest")"
    }
}
