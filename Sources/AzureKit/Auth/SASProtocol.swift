/// Which protocols a SAS allows (`spr`).
public enum SASProtocol: String, Sendable, Hashable {
    /// HTTPS only (`https`).
    case httpsOnly = "https"
    /// HTTPS or HTTP (`https,http`); needed for LocalCloud over plain HTTP.
    case httpsAndHTTP = "https,http"
}

/// A signed SAS: its query parameters in order, including `sig`.
public struct SASQuery: Sendable, Equatable, CustomStringConvertible {
    /// The parameters, in the order they are emitted.
    public var items: [SASItem]

    /// Creates a query from parameters.
    public init(items: [SASItem]) {
        self.items = items
    }

    /// The value of parameter `name`.
    public func value(_ name: String) -> String? {
        items.first { $0.name == name }?.value
    }

    /// The percent-encoded query string without a leading `?` (contains the secret signature).
    public var encoded: String {
        URLEncoding.query(items.map { ($0.name, $0.value) })
    }

    /// The query with `sig` redacted.
    public var description: String { Redaction.redact(encoded) }
}

/// One SAS query parameter.
public struct SASItem: Sendable, Equatable {
    /// The parameter name, e.g. `sv`.
    public var name: String
    /// The decoded value.
    public var value: String

    /// Creates a parameter.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}
