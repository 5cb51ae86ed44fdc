import BackupRepository
import Foundation

/// Engine settings of the jobs that change a repository's shape: maintenance (forget and prune) and archive.
public struct MaintenanceSettings: Sendable {
    /// The time retention and prune's grace period are measured from, and that the repository's locks record.
    /// Default: the system clock.
    public var now: @Sendable () -> Date = { Date() }
    /// The scrypt cost of the key of an archive repository that an archive job creates. Default: standard.
    public var archiveScrypt: ScryptParameters = .standard
    /// Prune's thresholds, grace period and memory; `dryRun` is ignored (a maintenance job prunes for real).
    public var prune = PruneOptions()

    /// The defaults.
    public init() {}

    /// Lock settings that use ``now`` and name the worker as the holder.
    func lockOptions(holder: String) -> LockOptions {
        var options = LockOptions()
        options.now = now
        options.holder = "nimbus-worker \(holder)"
        return options
    }
}
