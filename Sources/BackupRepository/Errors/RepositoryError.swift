/// An error from the repository engine, naming the object or repository concerned and saying what to do.
///
/// Descriptions never contain key material or passwords.
public struct RepositoryError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is; new codes may be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        enum Base: Hashable, Sendable {
            case wrongPassword
            case notARepository
            case alreadyExists
            case unsupportedVersion
            case damagedObject
            case missingObject
            case invalidArgument
            case keyNotFound
            case lastKey
            case sourceFailure
            case restorePointNotFound
            case fileNotFound
            case io
            case archived
            case notLinked
        }

        let base: Base

        /// Every key object of the repository is well formed and none opens with the given password
        /// (damaged or missing key objects, and a config that does not match the keys, are
        /// ``damagedObject`` or ``missingObject`` instead).
        public static let wrongPassword = Code(base: .wrongPassword)
        /// The location holds no repository (no `config`, no copy of it, and no other repository object).
        public static let notARepository = Code(base: .notARepository)
        /// A repository already exists where one was to be created.
        public static let alreadyExists = Code(base: .alreadyExists)
        /// The repository was written by a newer format version.
        public static let unsupportedVersion = Code(base: .unsupportedVersion)
        /// An object failed authentication or could not be decoded: it was altered or truncated.
        public static let damagedObject = Code(base: .damagedObject)
        /// An object that something refers to does not exist.
        public static let missingObject = Code(base: .missingObject)
        /// An argument is out of range or inconsistent.
        public static let invalidArgument = Code(base: .invalidArgument)
        /// No key object has the given ID.
        public static let keyNotFound = Code(base: .keyNotFound)
        /// Removing the key would leave the repository without any way to open it.
        public static let lastKey = Code(base: .lastKey)
        /// Reading the disk source failed.
        public static let sourceFailure = Code(base: .sourceFailure)
        /// No restore point has the given ID.
        public static let restorePointNotFound = Code(base: .restorePointNotFound)
        /// A local file named by the caller (the disk image to back up, the folder to restore into) does not exist.
        public static let fileNotFound = Code(base: .fileNotFound)
        /// Reading or writing a local file failed: the restored image (open, write, truncate, flush, a full disk).
        public static let io = Code(base: .io)
        /// A pack to read is in the store's archive tier and must be rehydrated first.
        public static let archived = Code(base: .archived)
        /// Two repositories do not share their keys, so blocks cannot be copied between them.
        public static let notLinked = Code(base: .notLinked)

        public var description: String {
            switch base {
            case .wrongPassword: "wrong password"
            case .notARepository: "not a repository"
            case .alreadyExists: "already exists"
            case .unsupportedVersion: "unsupported version"
            case .damagedObject: "damaged object"
            case .missingObject: "missing object"
            case .invalidArgument: "invalid argument"
            case .keyNotFound: "key not found"
            case .lastKey: "last key"
            case .sourceFailure: "source failure"
            case .restorePointNotFound: "restore point not found"
            case .fileNotFound: "file not found"
            case .io: "I/O failure"
            case .archived: "archived"
            case .notLinked: "not linked"
            }
        }
    }

    /// The kind of failure.
    public var code: Code
    /// A sentence naming what failed and what to do.
    public var message: String
    /// The object concerned, if any.
    public var objectKey: String?
    /// The underlying error, if any.
    public var underlying: (any Error & Sendable)?

    /// Creates an error.
    public init(_ code: Code, _ message: String, objectKey: String? = nil, underlying: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.objectKey = objectKey
        self.underlying = underlying
    }

    public var description: String {
        var text = message
        if let underlying { text += " (\(underlying))" }
        return text
    }
}

extension RepositoryError {
    static func damaged(_ key: String, location: String, _ what: String) -> RepositoryError {
        RepositoryError(
            .damagedObject,
            "object '\(key)' in \(location) is damaged: \(what); run `nimbus repo verify` and restore it from a copy",
            objectKey: key
        )
    }

    static func missing(_ key: String, location: String, _ what: String) -> RepositoryError {
        RepositoryError(
            .missingObject,
            "object '\(key)' in \(location) is missing (\(what)); run `nimbus repo verify` to see what is affected",
            objectKey: key
        )
    }
}

extension RepositoryError {
    static func archived(_ key: String, location: String, _ what: String, underlying: ObjectStoreError)
        -> RepositoryError
    {
        RepositoryError(
            .archived,
            "object '\(key)' in \(location) is in the Archive access tier and cannot be read (\(what)): rehydrate "
                + "the archive's data packs to an online tier first (Azure: Set Blob Tier to Hot or Cool, which takes "
                + "hours), or restore from the backup repository it was copied from",
            objectKey: key,
            underlying: underlying
        )
    }
}
