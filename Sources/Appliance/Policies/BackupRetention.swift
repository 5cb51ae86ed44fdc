import BackupRepository
import Foundation

/// How long a policy keeps its restore points: every one for a number of days, plus weekly, monthly and
/// yearly ones (grandfather-father-son), per VM.
public struct BackupRetention: Sendable, Hashable, Codable {
    /// Keep every restore point of the last this many days (at least 1).
    public var days: Int
    /// Also keep the last restore point of each of this many weeks.
    public var weekly: Int
    /// … of each of this many months.
    public var monthly: Int
    /// … of each of this many years.
    public var yearly: Int

    /// A retention; by default 14 days and nothing beyond.
    public init(days: Int = 14, weekly: Int = 0, monthly: Int = 0, yearly: Int = 0) {
        self.days = days
        self.weekly = weekly
        self.monthly = monthly
        self.yearly = yearly
    }

    /// Checks the counts.
    public func validate() throws(ApplianceError) {
        guard days >= 1 else { throw .invalidInput("backup retention needs at least 1 day (got \(days))") }
        guard weekly >= 0, monthly >= 0, yearly >= 0 else {
            throw .invalidInput("weekly, monthly and yearly keeps cannot be negative")
        }
    }

    /// The engine's policy for one VM's restore points (forget groups them by VM): every restore point within
    /// the days, the GFS keeps, and always the newest one, so that a VM whose backups stopped keeps its last copy.
    public func repositoryPolicy(timeZone: TimeZone = .gmt) -> RetentionPolicy {
        RetentionPolicy(
            keepLast: 1,
            keepWeekly: weekly,
            keepMonthly: monthly,
            keepYearly: yearly,
            keepWithin: TimeInterval(days) * 86_400,
            timeZone: timeZone
        )
    }
}
