import Foundation
import GRDB

/// A backup policy: which VMs, when, how long to keep what, and where to.
public struct PolicyRecord: CatalogRecord, Hashable, Identifiable {
    public static let databaseTableName = "policies"

    /// The policy's ID.
    public var id: UUID
    /// A unique name a person chose.
    public var name: String
    /// Whether the scheduler starts its runs (a disabled policy can still be run now).
    public var enabled: Bool
    /// The VMs the policy covers: those its inclusions pick, minus those its exclusions pick.
    public var targets: PolicyTargets
    /// When backups run.
    public var schedule: PolicySchedule
    /// How many cloud-native snapshots to keep per VM (the latest is always kept, for CBT).
    public var snapshotRetention: Int
    /// How long restore points are kept.
    public var backupRetention: BackupRetention
    /// The backup repository.
    public var repositoryID: UUID
    /// The archive repository, when the policy archives.
    public var archiveRepositoryID: UUID?
    /// When archive copies run.
    public var archiveSchedule: PolicySchedule?
    /// How long archived restore points are kept.
    public var archiveRetention: BackupRetention?
    /// Which policy backs up a VM that several cover: the highest priority wins.
    public var priority: Int
    /// The most workers a run of this policy uses at once in one region.
    public var maxWorkersPerRegion: Int
    /// When the policy was created.
    public var created: Date

    /// A policy.
    public init(
        id: UUID = UUID(),
        name: String,
        enabled: Bool = true,
        targets: PolicyTargets,
        schedule: PolicySchedule,
        snapshotRetention: Int = 3,
        backupRetention: BackupRetention,
        repositoryID: UUID,
        archiveRepositoryID: UUID? = nil,
        archiveSchedule: PolicySchedule? = nil,
        archiveRetention: BackupRetention? = nil,
        priority: Int = 0,
        maxWorkersPerRegion: Int = 2,
        created: Date
    ) {
        self.id = id
        self.name = name
        self.enabled = enabled
        self.targets = targets
        self.schedule = schedule
        self.snapshotRetention = snapshotRetention
        self.backupRetention = backupRetention
        self.repositoryID = repositoryID
        self.archiveRepositoryID = archiveRepositoryID
        self.archiveSchedule = archiveSchedule
        self.archiveRetention = archiveRetention
        self.priority = priority
        self.maxWorkersPerRegion = maxWorkersPerRegion
        self.created = created
    }
}
