import Foundation

/// Which restore points to keep: the newest few, the newest of each of the most recent calendar
/// periods, everything within a duration, and everything carrying certain tags.
///
/// A period rule (for example ``keepDaily`` = 7) keeps the newest restore point of each of the
/// 7 most recent days *that have a restore point*; days without one do not count. Periods are
/// calendar periods in ``timeZone`` (weeks are ISO 8601 weeks, starting on Monday). The rules are
/// evaluated separately for each group (see ``RetentionCandidate/group``) and a restore point is
/// kept if any rule keeps it. A policy with no rule keeps nothing and is refused by ``evaluate(_:now:)``.
public struct RetentionPolicy: Sendable, Hashable, Codable {
    /// Keep the newest `keepLast` restore points of each group.
    public var keepLast: Int
    /// Keep the newest restore point of each of the most recent `keepHourly` hours.
    public var keepHourly: Int
    /// Keep the newest restore point of each of the most recent `keepDaily` days.
    public var keepDaily: Int
    /// Keep the newest restore point of each of the most recent `keepWeekly` ISO weeks.
    public var keepWeekly: Int
    /// Keep the newest restore point of each of the most recent `keepMonthly` months.
    public var keepMonthly: Int
    /// Keep the newest restore point of each of the most recent `keepYearly` years.
    public var keepYearly: Int
    /// Keep every restore point taken within this many seconds before "now" (and any dated after it).
    public var keepWithin: TimeInterval?
    /// Keep every restore point carrying at least one of these tags.
    public var keepTags: Set<String>
    /// When not empty, the policy only applies to restore points carrying all of these tags;
    /// the others are kept untouched.
    public var onlyTagged: Set<String>
    /// The time zone whose calendar defines hours, days, weeks, months and years (default UTC).
    public var timeZone: TimeZone

    /// Creates a policy; every rule defaults to "keeps nothing", the time zone to UTC.
    public init(
        keepLast: Int = 0,
        keepHourly: Int = 0,
        keepDaily: Int = 0,
        keepWeekly: Int = 0,
        keepMonthly: Int = 0,
        keepYearly: Int = 0,
        keepWithin: TimeInterval? = nil,
        keepTags: Set<String> = [],
        onlyTagged: Set<String> = [],
        timeZone: TimeZone = TimeZone(identifier: "UTC") ?? .gmt
    ) {
        self.keepLast = keepLast
        self.keepHourly = keepHourly
        self.keepDaily = keepDaily
        self.keepWeekly = keepWeekly
        self.keepMonthly = keepMonthly
        self.keepYearly = keepYearly
        self.keepWithin = keepWithin
        self.keepTags = keepTags
        self.onlyTagged = onlyTagged
        self.timeZone = timeZone
    }

    /// `true` when no rule would keep anything (applying such a policy would remove every restore point).
    public var isEmpty: Bool {
        keepLast <= 0 && keepHourly <= 0 && keepDaily <= 0 && keepWeekly <= 0 && keepMonthly <= 0
            && keepYearly <= 0 && (keepWithin ?? -1) < 0 && keepTags.isEmpty
    }
}
