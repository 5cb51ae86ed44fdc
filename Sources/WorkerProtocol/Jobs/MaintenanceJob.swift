import BackupRepository

/// Forget the restore points a retention policy does not keep, and optionally prune what no restore
/// point references any more.
public struct MaintenanceJob: Sendable, Hashable, Codable {
    /// The repository (sealed fields use ``RepositoryRole/repository``).
    public var repository: RepositoryAccess
    /// Which restore points to keep.
    public var retention: RetentionPolicy
    /// Whether to prune after forgetting.
    public var prune: Bool

    /// A maintenance job.
    public init(repository: RepositoryAccess, retention: RetentionPolicy, prune: Bool) {
        self.repository = repository
        self.retention = retention
        self.prune = prune
    }
}
