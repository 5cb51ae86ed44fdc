/// The result of ``Repository/verify(_:lockOptions:logger:)``: which restore points are sound, which are
/// damaged and exactly why. `Codable` for `--json`.
public struct VerifyReport: Sendable, Hashable, Codable {
    /// How thoroughly to check.
    public enum Mode: String, Sendable, Hashable, Codable {
        /// Existence and sizes: every index entry lies inside an existing pack, every restore point tree
        /// is readable, and every referenced block has a copy (hinted or indexed) inside an existing pack.
        case quick
        /// Everything `quick` checks, plus every pack's header checked, its trailer compared with the
        /// index, and every block of every pack decrypted and re-hashed: an intact restore point restores.
        case full
    }

    /// One thing found wrong.
    public struct Problem: Sendable, Hashable, Codable, CustomStringConvertible {
        /// The object concerned (a pack, index object or restore point key).
        public var object: String
        /// The block concerned, as hexadecimal ID, when the problem is about one block.
        public var block: String?
        /// What is wrong, in words.
        public var reason: String

        /// Creates a problem.
        public init(object: String, block: String? = nil, reason: String) {
            self.object = object
            self.block = block
            self.reason = reason
        }

        public var description: String {
            if let block { return "\(object): block \(block): \(reason)" }
            return "\(object): \(reason)"
        }
    }

    /// The verdict on one restore point.
    public struct RestorePointResult: Sendable, Hashable, Codable {
        /// The restore point's ID.
        public var id: String
        /// `true` when every block it needs is present and (for a full check) intact.
        public var isIntact: Bool
        /// Why it is damaged; empty when intact. At most ``problemLimit`` entries are listed.
        public var problems: [Problem]
        /// How many problems were found in all (may exceed `problems.count`).
        public var problemCount: Int

        /// Creates a verdict.
        public init(id: String, problems: [Problem], problemCount: Int) {
            self.id = id
            self.isIntact = problemCount == 0
            self.problems = problems
            self.problemCount = problemCount
        }
    }

    /// At most this many problems are listed per restore point and for the repository.
    public static let problemLimit = 100

    /// The mode used.
    public var mode: Mode
    /// One verdict per restore point, in ID order.
    public var restorePoints: [RestorePointResult]
    /// Problems with packs and index objects, whether or not a restore point needs the damaged part.
    public var repositoryProblems: [Problem]
    /// Packs checked.
    public var packsChecked: Int
    /// Blocks decrypted and re-hashed (full mode) or looked up (quick mode).
    public var blocksChecked: Int
    /// Bytes read from the store.
    public var bytesRead: Int64
    /// Passes over the index and the restore points needed to stay within the memory budget.
    public var passes: Int

    /// Creates a report.
    public init(
        mode: Mode,
        restorePoints: [RestorePointResult],
        repositoryProblems: [Problem],
        packsChecked: Int,
        blocksChecked: Int,
        bytesRead: Int64,
        passes: Int = 1
    ) {
        self.mode = mode
        self.restorePoints = restorePoints
        self.repositoryProblems = repositoryProblems
        self.packsChecked = packsChecked
        self.blocksChecked = blocksChecked
        self.bytesRead = bytesRead
        self.passes = passes
    }

    /// `true` when no problem at all was found.
    public var isHealthy: Bool {
        repositoryProblems.isEmpty && restorePoints.allSatisfy(\.isIntact)
    }

    /// The IDs of damaged restore points.
    public var damagedRestorePoints: [String] {
        restorePoints.filter { !$0.isIntact }.map(\.id)
    }
}
