import BackupRepository

/// How a job ended: with its statistics, or with the reason it failed.
public enum JobResult: Sendable, Hashable, Codable {
    /// The job did what it was asked.
    case success(JobSuccess)
    /// It did not.
    case failure(JobFailure)

    private enum CodingKeys: String, CodingKey {
        case success
        case failure
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let success = try container.decodeIfPresent(JobSuccess.self, forKey: .success) {
            self = .success(success)
        } else if let failure = try container.decodeIfPresent(JobFailure.self, forKey: .failure) {
            self = .failure(failure)
        } else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "a result holds either success or failure")
            )
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .success(let success): try container.encode(success, forKey: .success)
        case .failure(let failure): try container.encode(failure, forKey: .failure)
        }
    }
}

/// Totals of a job or a step.
public struct JobStatistics: Sendable, Hashable, Codable {
    /// Bytes read from the source.
    public var bytesRead: Int64
    /// Bytes processed.
    public var bytesProcessed: Int64
    /// Bytes written to the repository (data and metadata).
    public var bytesStored: Int64
    /// Objects written.
    public var objectsWritten: Int
    /// Seconds the job or step took.
    public var seconds: Double

    /// Totals; all zero by default.
    public init(
        bytesRead: Int64 = 0,
        bytesProcessed: Int64 = 0,
        bytesStored: Int64 = 0,
        objectsWritten: Int = 0,
        seconds: Double = 0
    ) {
        self.bytesRead = bytesRead
        self.bytesProcessed = bytesProcessed
        self.bytesStored = bytesStored
        self.objectsWritten = objectsWritten
        self.seconds = seconds
    }
}

/// A job that succeeded: its totals, and what it made or found, by job kind.
public struct JobSuccess: Sendable, Hashable, Codable {
    /// The totals.
    public var statistics: JobStatistics
    /// The restore point a backup published (or had published, when answered again).
    public var restorePoint: RestorePointID?
    /// Whether the job had been done before and was answered again without redoing it.
    public var answeredAgain: Bool
    /// Per disk, for a backup: the engine's totals.
    public var disks: [DiskStatistics]?
    /// For an archive: the restore points now in the archive, source ID to archive ID.
    public var archived: [ArchivedRestorePoint]?
    /// For an archive: the engine's totals of the copies (restore points copied and already present, blocks and
    /// bytes copied and skipped, packs written and archived).
    public var copy: CopyReport?
    /// For a verify: the engine's report (damaged objects are named in its problems).
    public var verify: VerifyReport?
    /// For a maintenance job: the restore points forgotten.
    public var forgotten: [RestorePointID]?
    /// For a maintenance job that pruned: the engine's report.
    public var prune: PruneReport?

    /// A success.
    public init(
        statistics: JobStatistics,
        restorePoint: RestorePointID? = nil,
        answeredAgain: Bool = false,
        disks: [DiskStatistics]? = nil,
        archived: [ArchivedRestorePoint]? = nil,
        copy: CopyReport? = nil,
        verify: VerifyReport? = nil,
        forgotten: [RestorePointID]? = nil,
        prune: PruneReport? = nil
    ) {
        self.statistics = statistics
        self.restorePoint = restorePoint
        self.answeredAgain = answeredAgain
        self.disks = disks
        self.archived = archived
        self.copy = copy
        self.verify = verify
        self.forgotten = forgotten
        self.prune = prune
    }
}

/// The engine's totals for one disk of a backup.
public struct DiskStatistics: Sendable, Hashable, Codable {
    /// The disk.
    public var slot: VMDiskSlot
    /// The engine's totals.
    public var backup: BackupProgress

    /// A disk's totals.
    public init(slot: VMDiskSlot, backup: BackupProgress) {
        self.slot = slot
        self.backup = backup
    }
}

/// A restore point copied into an archive.
public struct ArchivedRestorePoint: Sendable, Hashable, Codable {
    /// Its ID in the backup repository.
    public var source: RestorePointID
    /// Its ID in the archive repository.
    public var archive: RestorePointID
    /// Bytes of new data the copy stored in the archive.
    public var bytesStored: Int64

    /// A copied restore point.
    public init(source: RestorePointID, archive: RestorePointID, bytesStored: Int64) {
        self.source = source
        self.archive = archive
        self.bytesStored = bytesStored
    }
}

/// A job that failed: whether trying again may help, a code for programs and a reason for people.
public struct JobFailure: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Whether trying again may help.
    public enum FailureClass: String, Sendable, Hashable, Codable {
        /// Trying again later may succeed (throttling, a dropped connection, a lost lease, a busy lock).
        case transient
        /// Trying again as is will fail again (an expired SAS, a wrong password, a damaged repository).
        case permanent
    }

    /// Whether trying again may help.
    public var failureClass: FailureClass
    /// A machine-readable code (see ``FailureCode``).
    public var code: FailureCode
    /// What happened and what to do, for a person. It never holds a secret.
    public var reason: String
    /// For a transient failure, how long to wait before trying again, when the worker knows.
    public var retryAfterSeconds: Double?

    /// A failure.
    public init(_ failureClass: FailureClass, code: FailureCode, reason: String, retryAfterSeconds: Double? = nil) {
        self.failureClass = failureClass
        self.code = code
        self.reason = reason
        self.retryAfterSeconds = retryAfterSeconds
    }

    private enum CodingKeys: String, CodingKey {
        case failureClass = "class"
        case code
        case reason
        case retryAfterSeconds
    }

    /// `permanent sasExpired: …`.
    public var description: String { "\(failureClass.rawValue) \(code): \(reason)" }
}

/// A machine-readable failure code. Known codes are static members; a reader keeps codes it does not
/// know as they are.
public struct FailureCode: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    /// The code's text.
    public var rawValue: String

    /// A code.
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// A SAS URL has expired.
    public static let sasExpired = FailureCode(rawValue: "sasExpired")
    /// A SAS URL was revoked, or never allowed the operation.
    public static let sasDenied = FailureCode(rawValue: "sasDenied")
    /// The network path to storage was refused (no private endpoint, public access disabled).
    public static let networkDenied = FailureCode(rawValue: "networkDenied")
    /// The storage service throttled the worker (503 ServerBusy, 429) past its retries.
    public static let throttled = FailureCode(rawValue: "throttled")
    /// Connections failed past the retries.
    public static let unreachable = FailureCode(rawValue: "unreachable")
    /// The repository password is wrong.
    public static let wrongPassword = FailureCode(rawValue: "wrongPassword")
    /// The repository is damaged, or not a repository.
    public static let repositoryDamaged = FailureCode(rawValue: "repositoryDamaged")
    /// Another operation holds the repository's lock.
    public static let repositoryLocked = FailureCode(rawValue: "repositoryLocked")
    /// A restore point or object the job names does not exist.
    public static let notFound = FailureCode(rawValue: "notFound")
    /// A sealed field did not open.
    public static let sealBroken = FailureCode(rawValue: "sealBroken")
    /// The job's input is inconsistent (sizes, slots, policy).
    public static let invalidJob = FailureCode(rawValue: "invalidJob")
    /// The job's deadline passed before it finished.
    public static let deadlineExceeded = FailureCode(rawValue: "deadlineExceeded")
    /// The worker lost its hold on the message (the pop receipt) and stopped.
    public static let leaseLost = FailureCode(rawValue: "leaseLost")
    /// The worker was shut down during the job.
    public static let cancelled = FailureCode(rawValue: "cancelled")
    /// A message kind or version this worker does not support.
    public static let unsupported = FailureCode(rawValue: "unsupported")
    /// Anything else.
    public static let internalError = FailureCode(rawValue: "internal")

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// The code's text.
    public var description: String { rawValue }
}
