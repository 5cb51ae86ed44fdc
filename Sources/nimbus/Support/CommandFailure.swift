/// A failure reported to the user as one line on standard error, with a distinct exit status.
///
/// Every error that reaches the top of the executable is turned into one of these (see
/// ``CommandFailure/init(describing:)``), so the user never sees a stack trace or a raw
/// type dump: only what went wrong, naming the thing, and what to do.
struct CommandFailure: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is; each kind has its own exit status.
    struct Code: Hashable, Sendable, CustomStringConvertible {
        enum Base: Hashable, Sendable {
            case failure
            case wrongPassword
            case notARepository
            case damaged
            case notFound
            case locked
            case io
            case interrupted
        }

        let base: Base

        /// Any failure without a more specific kind (exit status 1).
        static let failure = Code(base: .failure)
        /// No key of the repository opens with the given password (exit status 3).
        static let wrongPassword = Code(base: .wrongPassword)
        /// The folder is not a Nimbus repository, or it does not exist (exit status 4).
        static let notARepository = Code(base: .notARepository)
        /// Repository data is damaged: a missing, truncated or tampered object (exit status 5).
        static let damaged = Code(base: .damaged)
        /// A restore point, key or input file does not exist (exit status 6).
        static let notFound = Code(base: .notFound)
        /// Another process holds a lock the command needs (exit status 7).
        static let locked = Code(base: .locked)
        /// Reading or writing a file or object failed (exit status 8).
        static let io = Code(base: .io)
        /// The command was interrupted (exit status 130).
        static let interrupted = Code(base: .interrupted)

        /// The process exit status of this kind of failure.
        var exitStatus: Int32 {
            switch base {
            case .failure: 1
            case .wrongPassword: 3
            case .notARepository: 4
            case .damaged: 5
            case .notFound: 6
            case .locked: 7
            case .io: 8
            case .interrupted: 130
            }
        }

        /// A stable identifier for scripts, used in `--json` error output.
        var description: String {
            switch base {
            case .failure: "failure"
            case .wrongPassword: "wrong-password"
            case .notARepository: "not-a-repository"
            case .damaged: "damaged"
            case .notFound: "not-found"
            case .locked: "locked"
            case .io: "io"
            case .interrupted: "interrupted"
            }
        }
    }

    /// The kind of failure.
    var code: Code
    /// One sentence naming the thing and what to do; never contains a secret.
    var message: String

    /// Creates a failure.
    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    var description: String { message }
}
