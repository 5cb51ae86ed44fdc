/// The version of the queue protocol, written `major.minor` (`1.0`).
///
/// A reader accepts every message of its own major version, whatever the minor, and ignores fields it
/// does not know; a minor version only adds optional fields or new kinds. A different major version is
/// refused as unsupported.
public struct ProtocolVersion: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The major version: changes only when a reader of the previous one would misread a message.
    public var major: Int
    /// The minor version: additions that older readers of the same major can skip.
    public var minor: Int

    /// The version this module writes and reads.
    public static let current = ProtocolVersion(major: 1, minor: 0)

    /// A version.
    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    /// Parses `major.minor`; `nil` for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let major = Int(parts[0]), let minor = Int(parts[1]), major >= 0, minor >= 0,
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) })
        else { return nil }
        self.init(major: major, minor: minor)
    }

    /// `major.minor`.
    public var description: String { "\(major).\(minor)" }

    /// Whether a reader of this version accepts a message of `other`: same major version.
    public func accepts(_ other: ProtocolVersion) -> Bool { other.major == major }

    public static func < (lhs: ProtocolVersion, rhs: ProtocolVersion) -> Bool {
        (lhs.major, lhs.minor) < (rhs.major, rhs.minor)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let version = ProtocolVersion(text) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "protocol version '\(text)' is not major.minor"
            )
        }
        self = version
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
