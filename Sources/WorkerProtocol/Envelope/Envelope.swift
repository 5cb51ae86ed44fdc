import Foundation

/// One queue message: the protocol version, the job it concerns, who sent it and when, and its body.
///
/// The appliance assigns the job ID, session ID, task ID and attempt; a worker copies them into every
/// reply (``reply(_:from:sent:)``), so the appliance can match replies to its records and ignore a late
/// reply from an older attempt.
public struct Envelope: Sendable, Hashable, CustomStringConvertible {
    /// The version the message was written with.
    public var version: ProtocolVersion
    /// The job (for a ping or shutdown, an ID of its own).
    public var jobID: String
    /// The appliance session the job belongs to.
    public var sessionID: String
    /// The task (one VM, or one repository) within the session.
    public var taskID: String
    /// The attempt of the task, from 1; a retried task gets a new attempt and keeps its job ID.
    public var attempt: Int
    /// When the message was sent.
    public var sent: Date
    /// When the job must be finished; the worker does not start a job past it.
    public var deadline: Date
    /// Who sent it.
    public var sender: Party
    /// What it says.
    public var body: MessageBody

    /// The placeholder for a session, task or job that a rejected message did not let the worker read.
    public static let unknownID = "unknown"

    /// An envelope of the current version.
    public init(
        version: ProtocolVersion = .current,
        jobID: String,
        sessionID: String,
        taskID: String,
        attempt: Int,
        sent: Date,
        deadline: Date,
        sender: Party,
        body: MessageBody
    ) {
        self.version = version
        self.jobID = jobID
        self.sessionID = sessionID
        self.taskID = taskID
        self.attempt = attempt
        self.sent = sent
        self.deadline = deadline
        self.sender = sender
        self.body = body
    }

    /// The message's kind, from its body.
    public var kind: MessageKind { body.kind }

    /// A reply to this message: the same job, session, task, attempt and deadline, from `sender`.
    public func reply(_ body: MessageBody, from sender: Party, sent: Date) -> Envelope {
        Envelope(
            jobID: jobID,
            sessionID: sessionID,
            taskID: taskID,
            attempt: attempt,
            sent: sent,
            deadline: deadline,
            sender: sender,
            body: body
        )
    }

    /// The header, never the body (whose secrets are sealed anyway).
    public var description: String {
        "\(kind) job \(jobID) (session \(sessionID), task \(taskID), attempt \(attempt)) from \(sender), protocol \(version)"
    }

    /// The header fields.
    public var header: EnvelopeHeader {
        EnvelopeHeader(
            version: version,
            kind: kind.rawValue,
            jobID: jobID,
            sessionID: sessionID,
            taskID: taskID,
            attempt: attempt,
            sender: sender
        )
    }
}

extension Envelope: Codable {
    enum CodingKeys: String, CodingKey {
        case version
        case kind
        case jobID
        case sessionID
        case taskID
        case attempt
        case sent
        case deadline
        case sender
        case body
    }

    /// Decodes an envelope of a supported version and kind.
    /// - Throws: ``ProtocolError`` with ``ProtocolError/Code/unsupported`` for another major version or an
    ///   unknown kind; `DecodingError` for a malformed field. ``EnvelopeCodec`` turns both into
    ///   ``ProtocolError``.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        version = try container.decode(ProtocolVersion.self, forKey: .version)
        let kindText = try container.decode(String.self, forKey: .kind)
        let header = EnvelopeHeader(
            version: version,
            kind: kindText,
            jobID: try? container.decode(String.self, forKey: .jobID),
            sessionID: try? container.decode(String.self, forKey: .sessionID),
            taskID: try? container.decode(String.self, forKey: .taskID),
            attempt: try? container.decode(Int.self, forKey: .attempt),
            sender: try? container.decode(Party.self, forKey: .sender)
        )
        guard ProtocolVersion.current.accepts(version) else {
            throw ProtocolError(
                .unsupported,
                header: header,
                "Protocol version \(version) is not supported by this reader (version \(ProtocolVersion.current)); update the worker and the appliance to the same major version."
            )
        }
        guard let kind = MessageKind(rawValue: kindText) else {
            let reserved = MessageKind.reserved.contains(kindText) ? " (reserved for a later version)" : ""
            throw ProtocolError(
                .unsupported,
                header: header,
                "Message kind '\(kindText)'\(reserved) is not supported by protocol \(ProtocolVersion.current); update the worker."
            )
        }
        jobID = try Self.identifier(container, .jobID)
        sessionID = try Self.identifier(container, .sessionID)
        taskID = try Self.identifier(container, .taskID)
        attempt = try container.decode(Int.self, forKey: .attempt)
        guard attempt >= 0 else {
            throw DecodingError.dataCorruptedError(
                forKey: .attempt,
                in: container,
                debugDescription: "attempt \(attempt) is negative"
            )
        }
        sent = try container.decode(Date.self, forKey: .sent)
        deadline = try container.decode(Date.self, forKey: .deadline)
        sender = try container.decode(Party.self, forKey: .sender)
        body = try MessageBody.decode(kind, from: container, forKey: .body)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(version, forKey: .version)
        try container.encode(kind.rawValue, forKey: .kind)
        try container.encode(jobID, forKey: .jobID)
        try container.encode(sessionID, forKey: .sessionID)
        try container.encode(taskID, forKey: .taskID)
        try container.encode(attempt, forKey: .attempt)
        try container.encode(sent, forKey: .sent)
        try container.encode(deadline, forKey: .deadline)
        try container.encode(sender, forKey: .sender)
        try body.encode(into: &container, forKey: .body)
    }

    /// An ID: 1 to 128 characters of letters, digits and `.`, `_`, `:`, `-`.
    static func identifier(_ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> String {
        let text = try container.decode(String.self, forKey: key)
        guard isIdentifier(text) else {
            throw DecodingError.dataCorruptedError(
                forKey: key,
                in: container,
                debugDescription:
                    "'\(text.prefix(40))' is not an ID: use 1 to 128 letters, digits and . _ : -"
            )
        }
        return text
    }

    /// Whether `text` is a valid ID: 1 to 128 ASCII letters, digits and `.`, `_`, `:`, `-`.
    public static func isIdentifier(_ text: String) -> Bool {
        (1...128).contains(text.utf8.count)
            && text.utf8.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a)
                    || byte == 0x2e || byte == 0x5f || byte == 0x3a || byte == 0x2d
            }
    }
}

/// What could be read of an envelope's header, also of one refused as unsupported or malformed: enough to
/// report it and to answer it.
public struct EnvelopeHeader: Sendable, Hashable, Codable {
    /// The version it claims.
    public var version: ProtocolVersion?
    /// The kind it claims, as written.
    public var kind: String?
    /// The job, when readable.
    public var jobID: String?
    /// The session, when readable.
    public var sessionID: String?
    /// The task, when readable.
    public var taskID: String?
    /// The attempt, when readable.
    public var attempt: Int?
    /// The sender, when readable.
    public var sender: Party?

    /// A header.
    public init(
        version: ProtocolVersion? = nil,
        kind: String? = nil,
        jobID: String? = nil,
        sessionID: String? = nil,
        taskID: String? = nil,
        attempt: Int? = nil,
        sender: Party? = nil
    ) {
        self.version = version
        self.kind = kind
        self.jobID = jobID
        self.sessionID = sessionID
        self.taskID = taskID
        self.attempt = attempt
        self.sender = sender
    }
}
