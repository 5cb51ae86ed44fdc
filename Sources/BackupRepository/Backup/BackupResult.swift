/// The outcome of a backup.
public struct BackupResult: Sendable {
    /// The new restore point.
    public var restorePoint: RestorePoint
    /// Final totals.
    public var statistics: BackupProgress
    /// Wall-clock duration in seconds.
    public var duration: Double
}
