import Foundation

/// One restore point as seen by a ``RetentionPolicy``: its identity, time, tags and group.
public struct RetentionCandidate: Sendable, Hashable, Codable {
    /// The restore point's ID.
    public var id: String
    /// When the restore point was taken.
    public var time: Date
    /// The restore point's tags.
    public var tags: Set<String>
    /// The group it belongs to (for example a VM name and disk); rules apply within each group.
    public var group: String

    /// Creates a candidate.
    public init(id: String, time: Date, tags: Set<String> = [], group: String = "") {
        self.id = id
        self.time = time
        self.tags = tags
        self.group = group
    }
}
