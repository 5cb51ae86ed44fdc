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
    /// Its position in the repository's restore-point order (``Swift/Array/inRestorePointOrder()``),
    /// which breaks ties between equal times; `nil` falls back to the ID.
    public var rank: Int?

    /// Creates a candidate.
    public init(id: String, time: Date, tags: Set<String> = [], group: String = "", rank: Int? = nil) {
        self.id = id
        self.time = time
        self.tags = tags
        self.group = group
        self.rank = rank
    }

    /// Whether this candidate comes after `other` in the restore-point order: a later time, then a
    /// higher rank, then a greater ID.
    func isNewer(than other: RetentionCandidate) -> Bool {
        if time != other.time { return time > other.time }
        if rank != other.rank { return (rank ?? -1) > (other.rank ?? -1) }
        return id > other.id
    }
}
