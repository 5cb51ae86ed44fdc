/// The body of an ``MessageKind/overflow`` envelope: where the real envelope is stored, how long it is and
/// its SHA-256, so the reader fetches it and checks it before decoding.
///
/// The pointer's header (job, session, task, attempt, sender) is the real envelope's, so a reader can
/// report and route it before fetching anything.
public struct OverflowPointer: Sendable, Hashable, Codable {
    /// The real envelope's kind.
    public var kind: MessageKind
    /// The blob's name in the overflow container.
    public var blobName: String
    /// The blob's URL with a read SAS, sealed as ``SealedField/overflowBlob``.
    public var url: Sealed<String>
    /// The blob's length in bytes.
    public var length: Int
    /// The blob's SHA-256, in lowercase hexadecimal.
    public var sha256: String

    /// A pointer.
    public init(kind: MessageKind, blobName: String, url: Sealed<String>, length: Int, sha256: String) {
        self.kind = kind
        self.blobName = blobName
        self.url = url
        self.length = length
        self.sha256 = sha256
    }
}
