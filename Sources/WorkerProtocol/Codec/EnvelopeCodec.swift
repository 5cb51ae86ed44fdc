import Crypto
import Foundation

/// Turns envelopes into queue message text and back.
///
/// The text of a message is the base64 of the envelope's UTF-8 JSON (the Azure SDKs' base64 message
/// encoding), which needs no XML escaping: a queue message of at most 64 KiB of text holds at most
/// ``maxInlineBytes`` (48 KiB) of JSON. A larger envelope goes to a blob and the message carries an
/// ``OverflowPointer`` to it (see ``encode(_:overflow:)``).
public struct EnvelopeCodec: Sendable {
    /// The most characters of message text Azure Queue accepts (64 KiB).
    public static let maxMessageTextBytes = 65_536
    /// The most bytes of JSON that fit in one message once base64-encoded: 3 bytes per 4 characters.
    public static let maxInlineBytes = maxMessageTextBytes / 4 * 3
    /// The most bytes of an overflowed envelope a reader accepts (16 MiB).
    public static let maxOverflowBytes = 16 << 20

    /// A codec.
    public init() {}

    /// The envelope as compact JSON with sorted keys, times in UTC with milliseconds.
    public func json(_ envelope: Envelope) throws(ProtocolError) -> Data {
        do {
            return try Self.encoder.encode(envelope)
        } catch {
            throw ProtocolError(
                .malformed,
                header: envelope.header,
                "The \(envelope.kind) message could not be encoded: \(error)."
            )
        }
    }

    /// Reads an envelope from its JSON.
    /// - Throws: ``ProtocolError``: ``ProtocolError/Code/unsupported`` for another major version or an
    ///   unknown kind, ``ProtocolError/Code/malformed`` for anything else wrong.
    public func envelope(json data: Data) throws(ProtocolError) -> Envelope {
        do {
            return try Self.decoder.decode(Envelope.self, from: data)
        } catch let error as ProtocolError {
            throw error
        } catch let error as DecodingError {
            throw ProtocolError(
                .malformed,
                header: Self.header(of: data),
                "The message is malformed: \(Self.explain(error))."
            )
        } catch {
            throw ProtocolError(.malformed, header: Self.header(of: data), "The message is malformed: \(error).")
        }
    }

    /// Encodes an envelope as queue message text; when it is too large, as the text of a pointer to a
    /// blob, together with the blob to upload before sending the text.
    /// - Parameter overflow: where large envelopes go; `nil` to refuse them.
    /// - Throws: ``ProtocolError`` with ``ProtocolError/Code/tooLarge`` when the envelope does not fit and
    ///   `overflow` is `nil`; ``SealError`` when the blob URL cannot be sealed.
    public func encode(_ envelope: Envelope, overflow: OverflowTarget?) throws -> OutgoingMessage {
        let data = try json(envelope)
        if data.count <= Self.maxInlineBytes {
            return OutgoingMessage(text: data.base64EncodedString(), overflowBlob: nil)
        }
        guard let overflow else {
            throw ProtocolError(
                .tooLarge,
                header: envelope.header,
                "The \(envelope.kind) message of job \(envelope.jobID) is \(data.count) bytes of JSON; at most \(Self.maxInlineBytes) fit in a queue message, and no overflow container was given."
            )
        }
        let digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        let name =
            "\(envelope.sender.id)/\(envelope.jobID)/\(envelope.kind)-\(envelope.attempt)-\(digest.prefix(32)).json"
        let context = SealingContext(key: overflow.key, workerID: overflow.workerID, jobID: envelope.jobID)
        let url = try context.seal(try overflow.readURL(name), as: .overflowBlob)
        var pointer = envelope
        pointer.body = .overflow(
            OverflowPointer(kind: envelope.kind, blobName: name, url: url, length: data.count, sha256: digest)
        )
        let pointerData = try json(pointer)
        guard pointerData.count <= Self.maxInlineBytes else {
            throw ProtocolError(
                .tooLarge,
                header: envelope.header,
                "The overflow pointer of job \(envelope.jobID) is \(pointerData.count) bytes; shorten the IDs or the blob URL."
            )
        }
        return OutgoingMessage(
            text: pointerData.base64EncodedString(),
            overflowBlob: OverflowBlob(name: name, bytes: data, sha256: digest)
        )
    }

    /// Reads the envelope in a queue message's text. An ``MessageKind/overflow`` envelope comes back as
    /// is: fetch its blob and pass the bytes to ``resolve(_:blob:)``.
    /// - Throws: ``ProtocolError``.
    public func decode(text: String) throws(ProtocolError) -> Envelope {
        guard let data = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw ProtocolError(
                .malformed,
                "The message text is not base64; it was not written by a Nimbus appliance or worker."
            )
        }
        return try envelope(json: data)
    }

    /// Reads the envelope an overflow pointer refers to, from the blob's bytes.
    /// - Throws: ``ProtocolError`` with ``ProtocolError/Code/overflowMismatch`` when the bytes' length or
    ///   SHA-256 differs from the pointer's, or the stored envelope's header differs from the pointer's.
    public func resolve(_ pointerEnvelope: Envelope, blob: Data) throws(ProtocolError) -> Envelope {
        guard case .overflow(let pointer) = pointerEnvelope.body else {
            throw ProtocolError(
                .malformed,
                header: pointerEnvelope.header,
                "The \(pointerEnvelope.kind) message of job \(pointerEnvelope.jobID) is not an overflow pointer."
            )
        }
        let header = pointerEnvelope.header
        guard blob.count == pointer.length else {
            throw ProtocolError(
                .overflowMismatch,
                header: header,
                "The overflow blob \(pointer.blobName) of job \(pointerEnvelope.jobID) is \(blob.count) bytes, not \(pointer.length): it was truncated or replaced."
            )
        }
        let digest = SHA256.hash(data: blob).map { String(format: "%02x", $0) }.joined()
        guard digest == pointer.sha256 else {
            throw ProtocolError(
                .overflowMismatch,
                header: header,
                "The overflow blob \(pointer.blobName) of job \(pointerEnvelope.jobID) does not have the SHA-256 its pointer names: it was altered or replaced."
            )
        }
        let stored = try envelope(json: blob)
        guard stored.kind == pointer.kind, stored.jobID == pointerEnvelope.jobID,
            stored.sessionID == pointerEnvelope.sessionID, stored.taskID == pointerEnvelope.taskID,
            stored.attempt == pointerEnvelope.attempt, stored.sender == pointerEnvelope.sender
        else {
            throw ProtocolError(
                .overflowMismatch,
                header: header,
                "The overflow blob \(pointer.blobName) holds a message for another job, kind or attempt than its pointer."
            )
        }
        return stored
    }

    /// What could be read of a header, for reporting a refused message.
    static func header(of data: Data) -> EnvelopeHeader? {
        try? JSONDecoder().decode(LooseHeader.self, from: data).header
    }

    static func explain(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let names = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return names.isEmpty ? "the message" : names.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(path(context)): the field \(key.stringValue) is missing"
        case .valueNotFound(_, let context):
            return "\(path(context)): a value is missing"
        case .typeMismatch(let type, let context):
            return "\(path(context)): expected \(type)"
        case .dataCorrupted(let context):
            return "\(path(context)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = ProtocolDates.encoding
        return encoder
    }

    static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = ProtocolDates.decoding
        return decoder
    }
}

/// A message ready to send: its text, and the blob to upload first when the envelope overflowed.
public struct OutgoingMessage: Sendable, Hashable {
    /// The queue message text (at most 64 KiB of base64).
    public var text: String
    /// The blob to upload to the overflow container before sending `text`, if any.
    public var overflowBlob: OverflowBlob?
}

/// An envelope too large for a queue message, to upload as a block blob.
public struct OverflowBlob: Sendable, Hashable, CustomStringConvertible {
    /// The blob's name in the overflow container.
    public var name: String
    /// The envelope's JSON (its secrets are sealed, as in any message).
    public var bytes: Data
    /// Its SHA-256, in lowercase hexadecimal.
    public var sha256: String

    /// The name and size.
    public var description: String { "OverflowBlob(\(name), \(bytes.count) bytes)" }
}

/// Where an envelope too large for a queue message goes: the key and worker ID to seal the blob's URL
/// with, and how to name the URL (with a read SAS) of a blob in the overflow container.
public struct OverflowTarget: Sendable {
    /// The worker's key.
    public var key: WorkerKey
    /// The worker the message is for or from.
    public var workerID: String
    /// The URL, with a SAS that allows reading it, of the blob of that name in the overflow container.
    public var readURL: @Sendable (_ blobName: String) throws -> String

    /// An overflow target.
    public init(key: WorkerKey, workerID: String, readURL: @escaping @Sendable (_ blobName: String) throws -> String) {
        self.key = key
        self.workerID = workerID
        self.readURL = readURL
    }
}

/// The header fields of any envelope, each optional, for reporting one that does not decode.
private struct LooseHeader: Decodable {
    var version: String?
    var kind: String?
    var jobID: String?
    var sessionID: String?
    var taskID: String?
    var attempt: Int?
    var sender: Party?

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Envelope.CodingKeys.self)
        version = try? container.decode(String.self, forKey: .version)
        kind = try? container.decode(String.self, forKey: .kind)
        jobID = try? container.decode(String.self, forKey: .jobID)
        sessionID = try? container.decode(String.self, forKey: .sessionID)
        taskID = try? container.decode(String.self, forKey: .taskID)
        attempt = try? container.decode(Int.self, forKey: .attempt)
        sender = try? container.decode(Party.self, forKey: .sender)
    }

    var header: EnvelopeHeader {
        EnvelopeHeader(
            version: version.flatMap(ProtocolVersion.init),
            kind: kind,
            jobID: jobID.flatMap { Envelope.isIdentifier($0) ? $0 : nil },
            sessionID: sessionID.flatMap { Envelope.isIdentifier($0) ? $0 : nil },
            taskID: taskID.flatMap { Envelope.isIdentifier($0) ? $0 : nil },
            attempt: attempt,
            sender: sender
        )
    }
}

/// Times on the wire: ISO 8601 in UTC with milliseconds; milliseconds optional when reading.
enum ProtocolDates {
    private static let withFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    private static let withoutFraction = Date.ISO8601FormatStyle()

    static let encoding = JSONEncoder.DateEncodingStrategy.custom { date, encoder in
        var container = encoder.singleValueContainer()
        try container.encode(date.formatted(withFraction))
    }

    static let decoding = JSONDecoder.DateDecodingStrategy.custom { decoder in
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        if let date = try? withFraction.parse(text) { return date }
        if let date = try? withoutFraction.parse(text) { return date }
        throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not an ISO 8601 time")
    }
}
