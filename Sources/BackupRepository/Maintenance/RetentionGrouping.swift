import Foundation

/// How ``Repository/forget(policy:now:grouping:dryRun:lockOptions:logger:)`` sees restore points: the
/// group each belongs to (rules apply per group) and its tags.
public struct RetentionGrouping: Sendable {
    /// The group key of a restore point (for example `vm-1/disk-0`).
    public var group: @Sendable (RestorePoint) -> String
    /// The tags of a restore point.
    public var tags: @Sendable (RestorePoint) -> Set<String>

    /// Creates a grouping from two closures.
    public init(
        group: @escaping @Sendable (RestorePoint) -> String,
        tags: @escaping @Sendable (RestorePoint) -> Set<String>
    ) {
        self.group = group
        self.tags = tags
    }

    /// Groups by the values of top-level keys of the restore point's JSON metadata, joined with `/`
    /// (a missing key counts as empty), and reads tags from an array of strings under `tagsKey`.
    public static func metadataKeys(_ keys: [String], tagsKey: String = "tags") -> RetentionGrouping {
        RetentionGrouping(
            group: { point in
                let metadata = point.metadataValue
                return keys.map { key in metadata[key]?.text ?? "" }.joined(separator: "/")
            },
            tags: { point in
                Set(point.metadataValue[tagsKey]?.arrayValue?.compactMap(\.stringValue) ?? [])
            }
        )
    }

    /// Groups VM restore points by their VM (its resource ID, compared without regard to case, as Azure
    /// does) and every other restore point as `otherwise` does; tags as `otherwise` reads them.
    public static func byVM(otherwise: RetentionGrouping = .metadataKeys(["vm", "disk"])) -> RetentionGrouping {
        RetentionGrouping(
            group: { point in
                guard let vm = point.vm else { return otherwise.group(point) }
                return "vm:" + vm.resourceID.lowercased()
            },
            tags: otherwise.tags
        )
    }

    /// Every restore point in one group; tags from the metadata key `tags`.
    public static let single = metadataKeys([])

    /// The candidates a policy evaluates for `points`, which are in the repository's restore-point
    /// order: each candidate's rank is its position there.
    func candidates(for points: [RestorePoint]) -> [RetentionCandidate] {
        points.enumerated().map { rank, point in
            RetentionCandidate(
                id: point.id.hex,
                time: point.created,
                tags: tags(point),
                group: group(point),
                rank: rank
            )
        }
    }
}
