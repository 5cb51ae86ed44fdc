/// Why a queue message could not be encoded or read. Every case means the message goes to the poison
/// queue and is reported, never that the reader crashes or retries it forever.
public struct ProtocolError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Sendable, Hashable {
        /// Another major version, or a kind this reader does not know.
        case unsupported
        /// Not base64, not JSON, a field missing or of the wrong shape.
        case malformed
        /// Too large for a queue message and no overflow destination was given.
        case tooLarge
        /// An overflow blob whose length, digest or header does not match its pointer.
        case overflowMismatch
    }

    /// What went wrong.
    public var code: Code
    /// What could be read of the message's header.
    public var header: EnvelopeHeader?
    /// A sentence a person can act on; it never quotes the message.
    public var message: String

    /// An error.
    public init(_ code: Code, header: EnvelopeHeader? = nil, _ message: String) {
        self.code = code
        self.header = header
        self.message = message
    }

    public var description: String { message }
}
