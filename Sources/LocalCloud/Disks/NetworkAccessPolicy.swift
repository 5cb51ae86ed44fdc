/// Who may export or import a disk's or snapshot's data through a SAS: `properties.networkAccessPolicy`.
public struct NetworkAccessPolicy: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The policy's name as Azure spells it.
    public let name: String

    private init(_ name: String) {
        self.name = name
    }

    /// Anyone holding the SAS URL (the default).
    public static let allowAll = NetworkAccessPolicy("AllowAll")
    /// Only requests through a private endpoint of the disk access named by `diskAccessId`.
    public static let allowPrivate = NetworkAccessPolicy("AllowPrivate")
    /// Nobody: no SAS can be used.
    public static let denyAll = NetworkAccessPolicy("DenyAll")

    /// Parses a policy name case-insensitively; `nil` for unknown names.
    public init?(parsing text: String) {
        switch text.lowercased() {
        case "allowall": self = .allowAll
        case "allowprivate": self = .allowPrivate
        case "denyall": self = .denyAll
        default: return nil
        }
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let policy = NetworkAccessPolicy(parsing: text) else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: decoder.codingPath,
                    debugDescription: "networkAccessPolicy must be AllowAll, AllowPrivate or DenyAll, not '\(text)'."
                )
            )
        }
        self = policy
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(name)
    }

    public var description: String { name }
}
