/// A disk's or snapshot's storage type: `{"name": "Standard_LRS", "tier": "Standard"}`.
public struct DiskSku: Codable, Sendable, Equatable {
    /// `Standard_LRS`, `Premium_LRS`, `StandardSSD_LRS`, `Standard_ZRS`, …
    public var name: String
    /// `Standard` or `Premium`, derived from the name.
    public var tier: String?

    /// Creates a SKU, deriving its tier.
    public init(name: String) {
        self.name = name
        self.tier = name.hasPrefix("Premium") ? "Premium" : "Standard"
    }
}
