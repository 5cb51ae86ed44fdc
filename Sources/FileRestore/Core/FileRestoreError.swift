/// An error of file-level restore, naming the structure concerned and, where there is one, what to do.
///
/// Damaged or hostile on-disk structures always end in one of these, never in a crash, a hang or
/// unbounded memory.
public struct FileRestoreError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is; new codes may be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String

        /// A read reached past the end of a disk, partition or file.
        public static let outOfBounds = Code(name: "out of bounds")
        /// An on-disk structure is inconsistent: a bad magic number, checksum, length, loop or reference.
        public static let damaged = Code(name: "damaged structure")
        /// The structure is valid but uses something this reader does not implement (a file system, a feature).
        public static let unsupported = Code(name: "not supported")
        /// No file, folder or partition has the given path or number.
        public static let notFound = Code(name: "not found")
        /// The path names a file where a folder was needed, or a folder where a file was needed.
        public static let wrongType = Code(name: "wrong type")
        /// A limit that keeps memory and time bounded was reached (too many extents, a name too long).
        public static let limitExceeded = Code(name: "limit exceeded")

        public var description: String { name }
    }

    /// The kind of failure.
    public let code: Code
    /// What failed, naming the structure, and what to do.
    public let message: String

    /// An error of `code` with a message that names what failed.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
