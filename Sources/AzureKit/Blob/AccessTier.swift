/// A blob access tier.
public struct AccessTier: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    /// The letters (or name) as sent to the service.
    public let rawValue: String

    /// Creates a value from its raw text.
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// Hot: frequent access.
    public static let hot = AccessTier(rawValue: "Hot")
    /// Cool: infrequent access, 30 days minimum.
    public static let cool = AccessTier(rawValue: "Cool")
    /// Cold: rare access, 90 days minimum.
    public static let cold = AccessTier(rawValue: "Cold")
    /// Archive: offline; reading needs rehydration.
    public static let archive = AccessTier(rawValue: "Archive")

    /// A description without secrets.
    public var description: String { rawValue }
}

/// How quickly an archived blob is rehydrated.
public enum RehydratePriority: String, Sendable, Hashable {
    /// Standard priority (up to 15 hours).
    case standard = "Standard"
    /// High priority (under an hour for small blobs).
    case high = "High"
}
