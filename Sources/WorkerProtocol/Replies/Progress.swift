import BackupRepository

/// How far a running job is. Sent at least every 2 seconds while it runs.
public struct Progress: Sendable, Hashable, Codable {
    /// Bytes the job will read in total, when known.
    public var bytesTotal: Int64
    /// Bytes read from the source so far.
    public var bytesRead: Int64
    /// Bytes processed (hashed, compressed and encrypted, or found to be known) so far.
    public var bytesProcessed: Int64
    /// Bytes written to the repository so far.
    public var bytesStored: Int64
    /// The recent read rate, in bytes per second.
    public var bytesPerSecond: Double
    /// The disk being read, for a backup.
    public var currentDisk: VMDiskSlot?

    /// A progress report.
    public init(
        bytesTotal: Int64,
        bytesRead: Int64,
        bytesProcessed: Int64,
        bytesStored: Int64,
        bytesPerSecond: Double,
        currentDisk: VMDiskSlot? = nil
    ) {
        self.bytesTotal = bytesTotal
        self.bytesRead = bytesRead
        self.bytesProcessed = bytesProcessed
        self.bytesStored = bytesStored
        self.bytesPerSecond = bytesPerSecond
        self.currentDisk = currentDisk
    }
}

/// One step of a job finished (a disk read, a restore point copied, the prune).
public struct StepDone: Sendable, Hashable, Codable {
    /// The step's name (`disk`, `publish`, `copy`, `forget`, `prune`, …).
    public var step: String
    /// The disk it concerned, for a backup.
    public var disk: VMDiskSlot?
    /// The restore point it concerned, for an archive copy.
    public var restorePoint: RestorePointID?
    /// The totals of the step.
    public var statistics: JobStatistics

    /// A finished step.
    public init(
        step: String,
        disk: VMDiskSlot? = nil,
        restorePoint: RestorePointID? = nil,
        statistics: JobStatistics = JobStatistics()
    ) {
        self.step = step
        self.disk = disk
        self.restorePoint = restorePoint
        self.statistics = statistics
    }
}
