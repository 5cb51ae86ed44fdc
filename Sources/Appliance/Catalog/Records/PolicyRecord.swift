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
    /// The VMs the policy covers.
    public var targets: PolicyTargets
    /// The VMs it never covers, even when ``targets`` match them.
    public var exclusions: PolicyTargets
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
        exclusions: PolicyTargets = PolicyTargets(),
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
        self.exclusions = exclusions
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

/// A set of VMs named by resource ID, resource group, subscription or tag (stored as JSON).
public struct PolicyTargets: Codable, Sendable, Hashable {
    /// VM resource IDs.
    public var vms: [String]
    /// Resource group IDs (`/subscriptions/SUB/resourceGroups/GROUP`).
    public var resourceGroups: [String]
    /// Subscription IDs.
    public var subscriptions: [String]
    /// Tags a VM must carry (name and value).
    public var tags: [String: String]

    /// A set; empty by default.
    public init(
        vms: [String] = [],
        resourceGroups: [String] = [],
        subscriptions: [String] = [],
        tags: [String: String] = [:]
    ) {
        self.vms = vms
        self.resourceGroups = resourceGroups
        self.subscriptions = subscriptions
        self.tags = tags
    }
}

/// When a policy runs (stored as JSON): at the given hours (UTC) of the days the frequency selects.
public struct PolicySchedule: Codable, Sendable, Hashable {
    /// How often the schedule fires.
    public enum Frequency: String, Codable, Sendable, CaseIterable {
        /// Every selected weekday (all days when none are given).
        case daily
        /// Once a week, on the first of ``weekdays``.
        case weekly
        /// Once a month, on each of ``daysOfMonth``.
        case monthly
        /// Once a year, on each of ``daysOfMonth`` in each of ``months``.
        case yearly
    }

    /// How often.
    public var frequency: Frequency
    /// The hours (0–23, UTC) runs start at.
    public var hours: [Int]
    /// The weekdays (1 = Monday … 7 = Sunday).
    public var weekdays: [Int]
    /// The days of the month (1–31).
    public var daysOfMonth: [Int]
    /// The months (1–12).
    public var months: [Int]

    /// A schedule.
    public init(
        frequency: Frequency,
        hours: [Int],
        weekdays: [Int] = [],
        daysOfMonth: [Int] = [],
        months: [Int] = []
    ) {
        self.frequency = frequency
        self.hours = hours
        self.weekdays = weekdays
        self.daysOfMonth = daysOfMonth
        self.months = months
    }
}

/// How long restore points are kept (stored as JSON): every one for ``days``, plus the last of each of the
/// latest ``weekly`` weeks, ``monthly`` months and ``yearly`` years (GFS).
public struct BackupRetention: Codable, Sendable, Hashable {
    /// Days every restore point is kept.
    public var days: Int
    /// Weekly keeps.
    public var weekly: Int
    /// Monthly keeps.
    public var monthly: Int
    /// Yearly keeps.
    public var yearly: Int

    /// A retention rule.
    public init(days: Int, weekly: Int = 0, monthly: Int = 0, yearly: Int = 0) {
        self.days = days
        self.weekly = weekly
        self.monthly = monthly
        self.yearly = yearly
    }
}
