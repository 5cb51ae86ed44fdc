/// An error from an ``ObjectStore``, naming the object and what to do about it.
public struct ObjectStoreError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is; new codes may be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        enum Base: Hashable, Sendable {
            case notFound
            case alreadyExists
            case permissionDenied
            case noSpace
            case io
            case invalidKey
            case tooLarge
            case archived
        }

        let base: Base

        /// The object does not exist.
        public static let notFound = Code(base: .notFound)
        /// A create-only write found an existing object.
        public static let alreadyExists = Code(base: .alreadyExists)
        /// The store refused access.
        public static let permissionDenied = Code(base: .permissionDenied)
        /// The device or account is out of space.
        public static let noSpace = Code(base: .noSpace)
        /// Any other input/output failure.
        public static let io = Code(base: .io)
        /// The key is not valid for a store.
        public static let invalidKey = Code(base: .invalidKey)
        /// The object is larger than its kind may be (see ``ObjectStore/get(_:range:maxBytes:)``).
        public static let tooLarge = Code(base: .tooLarge)
        /// The object is in an offline archive tier: it must be rehydrated before it can be read.
        public static let archived = Code(base: .archived)

        public var description: String {
            switch base {
            case .notFound: "not found"
            case .alreadyExists: "already exists"
            case .permissionDenied: "permission denied"
            case .noSpace: "no space left"
            case .io: "input/output error"
            case .invalidKey: "invalid key"
            case .tooLarge: "too large"
            case .archived: "archived"
            }
        }
    }

    /// The kind of failure.
    public var code: Code
    /// The object's key.
    public var key: String
    /// Where the store lives (see ``ObjectStore/location``).
    public var location: String
    /// A sentence saying what went wrong and, where possible, what to do.
    public var message: String
    /// The underlying error, if any.
    public var underlying: (any Error & Sendable)?

    /// Creates an error.
    public init(
        _ code: Code,
        key: String,
        location: String,
        message: String,
        underlying: (any Error & Sendable)? = nil
    ) {
        self.code = code
        self.key = key
        self.location = location
        self.message = message
        self.underlying = underlying
    }

    /// The error of a read whose object (or range) holds `size` bytes, more than the `limit` its kind allows.
    public static func tooLarge(_ key: String, location: String, size: Int64, limit: Int) -> ObjectStoreError {
        ObjectStoreError(
            .tooLarge,
            key: key,
            location: location,
            message:
                "it holds \(size) bytes, more than the \(limit) bytes an object of its kind may have; the repository may be damaged, run 'nimbus repo verify'"
        )
    }

    public var description: String {
        var text = "object '\(key)' in \(location): \(code): \(message)"
        if let underlying { text += " (\(underlying))" }
        return text
    }
}
