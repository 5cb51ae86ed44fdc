import Foundation

/// What the sealed tags of one disk snapshot say: which VM, session and task it belongs to, which disk it is,
/// and every disk of its set, so that the set can be recognised as one cloud-native snapshot.
///
/// Encoded as JSON with short keys (tag space is scarce), then sealed by ``SealedSnapshotTags``.
public struct SnapshotMetadata: Codable, Sendable, Hashable {
    /// The version of this layout; a newer one is refused (not guessed at).
    public static let currentFormatVersion = 1

    /// One disk of the set.
    public struct Member: Codable, Sendable, Hashable {
        /// `os`, or `lun<N>` for a data disk.
        public var slot: String
        /// The name of that disk's snapshot.
        public var snapshotName: String

        /// A member.
        public init(slot: String, snapshotName: String) {
            self.slot = slot
            self.snapshotName = snapshotName
        }

        enum CodingKeys: String, CodingKey {
            case slot = "d"
            case snapshotName = "n"
        }
    }

    /// ``currentFormatVersion`` when written.
    public var formatVersion: Int
    /// The resource ID of the VM whose disk this is.
    public var vmResourceID: String
    /// The VM's name.
    public var vmName: String
    /// The session that took the snapshot.
    public var sessionID: String
    /// The task (one VM of the session) that took it.
    public var taskID: String
    /// This snapshot's disk slot (`os`, `lun0`, …).
    public var slot: String
    /// The resource ID of the disk the snapshot is of.
    public var sourceDiskID: String
    /// Every disk of the set, in slot order.
    public var members: [Member]
    /// When the set was taken, in milliseconds since 1970 (an integer, so that it reads back exactly).
    public var createdAtMilliseconds: Int64

    /// When the set was taken.
    public var createdAt: Date { Date(timeIntervalSince1970: Double(createdAtMilliseconds) / 1000) }

    /// Metadata of the current format version.
    public init(
        vmResourceID: String,
        vmName: String,
        sessionID: String,
        taskID: String,
        slot: String,
        sourceDiskID: String,
        members: [Member],
        createdAt: Date
    ) {
        self.formatVersion = Self.currentFormatVersion
        self.vmResourceID = vmResourceID
        self.vmName = vmName
        self.sessionID = sessionID
        self.taskID = taskID
        self.slot = slot
        self.sourceDiskID = sourceDiskID
        self.members = members
        self.createdAtMilliseconds = Int64((createdAt.timeIntervalSince1970 * 1000).rounded(.down))
    }

    /// The same metadata for another disk of the set.
    func forDisk(slot: String, sourceDiskID: String) -> SnapshotMetadata {
        var copy = self
        copy.slot = slot
        copy.sourceDiskID = sourceDiskID
        return copy
    }

    enum CodingKeys: String, CodingKey {
        case formatVersion = "v"
        case vmResourceID = "vm"
        case vmName = "vn"
        case sessionID = "s"
        case taskID = "t"
        case slot = "d"
        case sourceDiskID = "src"
        case members = "set"
        case createdAtMilliseconds = "at"
    }
}
