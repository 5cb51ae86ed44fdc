/// The typed body of an envelope; its case decides the envelope's ``MessageKind``.
public enum MessageBody: Sendable, Hashable {
    /// A backup job.
    case backup(BackupJob)
    /// An archive job.
    case archive(ArchiveJob)
    /// A verify job.
    case verify(VerifyJob)
    /// A maintenance job.
    case maintenance(MaintenanceJob)
    /// A ping.
    case ping(Ping)
    /// A shutdown request.
    case shutdown(Shutdown)
    /// The worker took the job.
    case accepted(Accepted)
    /// How far the job is.
    case progress(Progress)
    /// A step finished.
    case stepDone(StepDone)
    /// The job finished.
    case result(JobResult)
    /// The worker is alive.
    case heartbeat(Heartbeat)
    /// A message was moved to the poison queue.
    case rejected(Rejected)
    /// The real envelope is in a blob.
    case overflow(OverflowPointer)

    /// The kind this body makes its envelope.
    public var kind: MessageKind {
        switch self {
        case .backup: .backup
        case .archive: .archive
        case .verify: .verify
        case .maintenance: .maintenance
        case .ping: .ping
        case .shutdown: .shutdown
        case .accepted: .accepted
        case .progress: .progress
        case .stepDone: .stepDone
        case .result: .result
        case .heartbeat: .heartbeat
        case .rejected: .rejected
        case .overflow: .overflow
        }
    }

    func encode<Key: CodingKey>(into container: inout KeyedEncodingContainer<Key>, forKey key: Key) throws {
        switch self {
        case .backup(let body): try container.encode(body, forKey: key)
        case .archive(let body): try container.encode(body, forKey: key)
        case .verify(let body): try container.encode(body, forKey: key)
        case .maintenance(let body): try container.encode(body, forKey: key)
        case .ping(let body): try container.encode(body, forKey: key)
        case .shutdown(let body): try container.encode(body, forKey: key)
        case .accepted(let body): try container.encode(body, forKey: key)
        case .progress(let body): try container.encode(body, forKey: key)
        case .stepDone(let body): try container.encode(body, forKey: key)
        case .result(let body): try container.encode(body, forKey: key)
        case .heartbeat(let body): try container.encode(body, forKey: key)
        case .rejected(let body): try container.encode(body, forKey: key)
        case .overflow(let body): try container.encode(body, forKey: key)
        }
    }

    static func decode<Key: CodingKey>(
        _ kind: MessageKind,
        from container: KeyedDecodingContainer<Key>,
        forKey key: Key
    ) throws -> MessageBody {
        switch kind {
        case .backup: .backup(try container.decode(BackupJob.self, forKey: key))
        case .archive: .archive(try container.decode(ArchiveJob.self, forKey: key))
        case .verify: .verify(try container.decode(VerifyJob.self, forKey: key))
        case .maintenance: .maintenance(try container.decode(MaintenanceJob.self, forKey: key))
        case .ping: .ping(try container.decode(Ping.self, forKey: key))
        case .shutdown: .shutdown(try container.decode(Shutdown.self, forKey: key))
        case .accepted: .accepted(try container.decode(Accepted.self, forKey: key))
        case .progress: .progress(try container.decode(Progress.self, forKey: key))
        case .stepDone: .stepDone(try container.decode(StepDone.self, forKey: key))
        case .result: .result(try container.decode(JobResult.self, forKey: key))
        case .heartbeat: .heartbeat(try container.decode(Heartbeat.self, forKey: key))
        case .rejected: .rejected(try container.decode(Rejected.self, forKey: key))
        case .overflow: .overflow(try container.decode(OverflowPointer.self, forKey: key))
        }
    }
}
