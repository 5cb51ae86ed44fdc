/// What a message is: one of the jobs the appliance sends, one of the replies a worker sends, or the
/// pointer to a message too large for a queue.
///
/// The kinds `restore` and `fileRestore` are reserved for jobs to come: a later minor version adds them,
/// and until then a reader refuses them as unsupported, like any kind it does not know.
public enum MessageKind: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    // Jobs and control messages, appliance to worker.
    /// Back up the disks of a VM from their snapshots into a repository.
    case backup
    /// Copy restore points from a backup repository into an archive repository.
    case archive
    /// Check a repository.
    case verify
    /// Forget restore points under a retention policy, and optionally prune.
    case maintenance
    /// Ask for a heartbeat.
    case ping
    /// Stop the worker.
    case shutdown

    // Replies, worker to appliance.
    /// The worker took the job.
    case accepted
    /// How far a running job is.
    case progress
    /// One step of a job finished.
    case stepDone
    /// The job finished: success or failure.
    case result
    /// The worker is alive (answers a ping, and beats while a job runs).
    case heartbeat
    /// A message the worker could not or would not process was moved to the poison queue.
    case rejected

    // Either direction.
    /// A pointer to an envelope stored in a blob because it was too large for a queue message.
    case overflow

    /// Kinds reserved for later jobs; refused as unsupported by this version.
    public static let reserved: Set<String> = ["restore", "fileRestore"]

    /// Whether the appliance sends it to a worker (a job or a control message).
    public var isFromAppliance: Bool {
        switch self {
        case .backup, .archive, .verify, .maintenance, .ping, .shutdown: true
        case .accepted, .progress, .stepDone, .result, .heartbeat, .rejected, .overflow: false
        }
    }

    /// Whether a worker sends it to the appliance.
    public var isReply: Bool {
        switch self {
        case .accepted, .progress, .stepDone, .result, .heartbeat, .rejected: true
        case .backup, .archive, .verify, .maintenance, .ping, .shutdown, .overflow: false
        }
    }

    /// Whether it is a job that does work on a repository (and is answered with a result).
    public var isJob: Bool {
        switch self {
        case .backup, .archive, .verify, .maintenance: true
        default: false
        }
    }

    /// The name on the wire.
    public var description: String { rawValue }
}
