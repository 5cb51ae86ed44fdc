/// A blob access tier.
public struct AccessTier: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: String

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

    public var description: String { rawValue }
}

/// How quickly an archived blob is rehydrated.
public enum RehydratePriority: String, Sendable, Hashable {
    /// Standard priority (up to 15 hours).
    case standard = "Standard"
    /// High priority (under an hour for small blobs).
    case high = "High"
}
