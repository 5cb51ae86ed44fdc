/// An error applying a ``RetentionPolicy``.
public struct RetentionError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is; new codes may be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        enum Base: Hashable, Sendable {
            case emptyPolicy
        }

        let base: Base

        /// The policy has no rule: applying it would remove every restore point.
        public static let emptyPolicy = Code(base: .emptyPolicy)

        public var description: String {
            switch base {
            case .emptyPolicy: "empty retention policy"
            }
        }
    }

    /// The kind of failure.
    public var code: Code
    /// What went wrong and what to do.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
