import Foundation

/// An error taking, refreshing or releasing a repository lock.
public struct LockError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is; new codes may be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        enum Base: Hashable, Sendable {
            case locked
            case lost
            case unreadable
        }

        let base: Base

        /// Another live lock conflicts with the one requested.
        public static let locked = Code(base: .locked)
        /// A held lock was removed by someone else or could not be refreshed in time.
        public static let lost = Code(base: .lost)
        /// A lock object could not be decoded.
        public static let unreadable = Code(base: .unreadable)

        public var description: String {
            switch base {
            case .locked: "repository locked"
            case .lost: "lock lost"
            case .unreadable: "unreadable lock"
            }
        }
    }

    /// The kind of failure.
    public var code: Code
    /// The lock object concerned.
    public var key: String
    /// What went wrong and what to do.
    public var message: String
    /// The conflicting locks, for ``Code/locked``.
    public var holders: [LockRecord]

    /// Creates an error.
    public init(_ code: Code, key: String, message: String, holders: [LockRecord] = []) {
        self.code = code
        self.key = key
        self.message = message
        self.holders = holders
    }

    public var description: String {
        var text = "lock '\(key)': \(code): \(message)"
        for holder in holders {
            text +=
                "\n  held by \(holder.purpose) (\(holder.kind.rawValue)) \(holder.holder)@\(holder.host) pid \(holder.pid)"
            text += ", taken \(holder.created.formatted(.iso8601)), refreshed \(holder.refreshed.formatted(.iso8601))"
            text += " [\(holder.key)]"
        }
        return text
    }
}
