/// Check a repository: quick, full, or a sampled fraction of its packs.
public struct VerifyJob: Sendable, Hashable, Codable {
    /// The repository (sealed fields use ``RepositoryRole/repository``).
    public var repository: RepositoryAccess
    /// How thoroughly.
    public var depth: VerifyDepth

    /// A verify job.
    public init(repository: RepositoryAccess, depth: VerifyDepth) {
        self.repository = repository
        self.depth = depth
    }
}

/// How thoroughly a verify job checks.
public enum VerifyDepth: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Existence and sizes of everything referenced.
    case quick
    /// Every pack read, every block decrypted and re-hashed.
    case full
    /// `quick`, plus that fraction (more than 0, at most 1) of the packs read as `full` would.
    case sampled(fraction: Double)

    /// `quick`, `full` or `sampled 10%`.
    public var description: String {
        switch self {
        case .quick: "quick"
        case .full: "full"
        case .sampled(let fraction): "sampled \(fraction * 100)%"
        }
    }

    private enum CodingKeys: String, CodingKey {
        case mode
        case fraction
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let mode = try container.decode(String.self, forKey: .mode)
        switch mode {
        case "quick": self = .quick
        case "full": self = .full
        case "sampled":
            let fraction = try container.decode(Double.self, forKey: .fraction)
            guard fraction > 0, fraction <= 1 else {
                throw DecodingError.dataCorruptedError(
                    forKey: .fraction,
                    in: container,
                    debugDescription:
                        "a sampled verify reads a fraction of packs above 0 and at most 1, not \(fraction)"
                )
            }
            self = .sampled(fraction: fraction)
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .mode,
                in: container,
                debugDescription: "verify mode '\(mode)' is not quick, full or sampled"
            )
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .quick: try container.encode("quick", forKey: .mode)
        case .full: try container.encode("full", forKey: .mode)
        case .sampled(let fraction):
            try container.encode("sampled", forKey: .mode)
            try container.encode(fraction, forKey: .fraction)
        }
    }
}
