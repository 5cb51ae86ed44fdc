/// An error raised by LocalCloud itself (not an Azure-shaped error returned to a client).
public struct LocalCloudError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as a stable, extensible code.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case invalidJSON
            case io
            case tls
            case configuration
            case listener
            case state
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// A document that should be JSON is not.
        public static let invalidJSON = Code(.invalidJSON)
        /// Reading or writing a file under the data folder failed.
        public static let io = Code(.io)
        /// The certificate authority or a server certificate could not be created or loaded.
        public static let tls = Code(.tls)
        /// The configuration is invalid.
        public static let configuration = Code(.configuration)
        /// A listener could not be bound or found.
        public static let listener = Code(.listener)
        /// Persisted state is inconsistent.
        public static let state = Code(.state)

        public var description: String { "\(base)" }
    }

    /// The error's code.
    public let code: Code
    /// A message naming the thing concerned and what to do.
    public let message: String
    /// The underlying error, if any.
    public let cause: (any Error)?

    /// Creates an error.
    public init(_ code: Code, _ message: String, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    public var description: String {
        if let cause { return "LocalCloud \(code): \(message) (\(cause))" }
        return "LocalCloud \(code): \(message)"
    }
}
