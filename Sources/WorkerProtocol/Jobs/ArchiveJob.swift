import BackupRepository
import Foundation

/// Copy restore points from a backup repository into an archive repository, storing only the blocks the
/// archive does not hold yet.
public struct ArchiveJob: Sendable, Hashable, Codable {
    /// The backup repository to copy from (sealed fields use ``RepositoryRole/source``).
    public var source: RepositoryAccess
    /// The archive repository to copy into (sealed fields use ``RepositoryRole/archive``).
    public var archive: RepositoryAccess
    /// The restore points to copy, in the order to copy them.
    public var restorePoints: [RestorePointID]
    /// The target size of the archive's data packs, in bytes.
    public var packSize: Int64
    /// The access tier the archive's data packs move to once written.
    public var tier: ArchiveTier

    /// The default archive pack size: 256 MiB.
    public static let defaultPackSize: Int64 = 256 << 20

    /// An archive job.
    public init(
        source: RepositoryAccess,
        archive: RepositoryAccess,
        restorePoints: [RestorePointID],
        packSize: Int64 = ArchiveJob.defaultPackSize,
        tier: ArchiveTier = .archive
    ) {
        self.source = source
        self.archive = archive
        self.restorePoints = restorePoints
        self.packSize = packSize
        self.tier = tier
    }
}

/// The Blob access tier of archived data packs.
public enum ArchiveTier: String, Sendable, Hashable, Codable {
    /// Online, cheaper storage, dearer reads.
    case cool = "Cool"
    /// Online, cheaper still, with a 90-day minimum.
    case cold = "Cold"
    /// Offline: reads need rehydration first.
    case archive = "Archive"
}
