import Foundation
import GRDB

/// A cloud-native snapshot: one snapshot of every disk of a VM, taken together by a session.
public struct NativeSnapshotRecord: CatalogRecord, Hashable, Identifiable {
    public static let databaseTableName = "nativeSnapshots"

    /// The snapshot set's ID.
    public var id: UUID
    /// The VM.
    public var vmResourceID: String
    /// The session that took it.
    public var sessionID: UUID?
    /// When it was taken.
    public var created: Date
    /// The disk snapshots' resource IDs by disk slot (`os`, or the LUN in decimal), stored as JSON.
    public var diskSnapshots: [String: String]
    /// Whether retention keeps it (the latest one always is, for CBT).
    public var kept: Bool

    /// A snapshot set.
    public init(
        id: UUID = UUID(),
        vmResourceID: String,
        sessionID: UUID? = nil,
        created: Date,
        diskSnapshots: [String: String],
        kept: Bool = true
    ) {
        self.id = id
        self.vmResourceID = vmResourceID
        self.sessionID = sessionID
        self.created = created
        self.diskSnapshots = diskSnapshots
        self.kept = kept
    }
}
