/// The name of a sealed field, bound into its seal: a value sealed for one field does not open as another.
///
/// Names are dotted paths that say what the secret is for, not where it sits in the JSON
/// (`disk.os.snapshot`, `repository.password`, `archive.credential`), so that reordering a message's
/// arrays changes nothing, and swapping two disks' snapshot URLs is caught.
public struct SealedField: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    /// The dotted name.
    public var rawValue: String

    /// A field name.
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// A field name.
    public init(_ name: String) {
        self.rawValue = name
    }

    /// The read SAS URL of a disk's snapshot.
    public static func snapshot(_ slot: String) -> SealedField { SealedField("disk.\(slot).snapshot") }
    /// The read SAS URL of a disk's previous snapshot (the base of the page-range diff).
    public static func previousSnapshot(_ slot: String) -> SealedField {
        SealedField("disk.\(slot).previousSnapshot")
    }
    /// The credential (SAS or account key) of the repository playing `role`.
    public static func credential(_ role: RepositoryRole) -> SealedField {
        SealedField("\(role.rawValue).credential")
    }
    /// The password of the repository playing `role`.
    public static func password(_ role: RepositoryRole) -> SealedField {
        SealedField("\(role.rawValue).password")
    }
    /// The URL (with its read SAS) of the blob holding an overflowed envelope.
    public static let overflowBlob = SealedField("overflow.blob")

    /// The dotted name.
    public var description: String { rawValue }
}

/// The part a repository plays in a job, which names its sealed fields.
public enum RepositoryRole: String, Sendable, Hashable, Codable {
    /// The repository a backup, verify or maintenance job works on.
    case repository
    /// The backup repository an archive job copies from.
    case source
    /// The archive repository an archive job copies into.
    case archive
}
