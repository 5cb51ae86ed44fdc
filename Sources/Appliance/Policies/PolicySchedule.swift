import Foundation

/// When a policy runs: one or more rules, in a time zone.
///
/// The next run is the earliest time any rule gives after a moment. Times that do not exist on a day (a
/// daylight-saving jump forward) run at the first time after the gap; a time that occurs twice runs once.
public struct PolicySchedule: Sendable, Hashable, Codable {
    /// The rules; the schedule runs whenever any of them does.
    public var rules: [ScheduleRule]
    /// The time zone the rules' times are in (an IANA name such as `Europe/Paris`); UTC by default.
    public var timeZone: String

    /// A schedule of `rules` in `timeZone`.
    public init(rules: [ScheduleRule], timeZone: String = "UTC") {
        self.rules = rules
        self.timeZone = timeZone
    }

    /// Checks every rule and the time zone.
    public func validate() throws(ApplianceError) {
        guard !rules.isEmpty else {
            throw .invalidInput("a schedule needs at least one rule (daily, weekly, monthly or yearly)")
        }
        guard TimeZone(identifier: timeZone) != nil else {
            throw .invalidInput("\"\(timeZone)\" is not a time zone; give an IANA name such as UTC or Europe/Paris")
        }
        for rule in rules { try rule.validate() }
    }

    /// The first run strictly after `moment`, or `nil` when the schedule is not valid.
    public func nextRun(after moment: Date) -> Date? {
        guard let zone = TimeZone(identifier: timeZone) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let start = calendar.startOfDay(for: moment)
        // A yearly rule on the 29th of February, or on the 31st of a month, still runs within eight years.
        for offset in 0...(366 * 8) {
            guard let day = calendar.date(byAdding: .day, value: offset, to: start) else { return nil }
            let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: day)
            var best: Date?
            for rule in rules where Self.runs(rule, on: parts, calendar: calendar, day: day) {
                for time in rule.times {
                    var wanted = parts
                    wanted.hour = time.hour
                    wanted.minute = time.minute
                    wanted.second = 0
                    wanted.weekday = nil
                    guard let candidate = calendar.date(from: wanted), candidate > moment else { continue }
                    if best.map({ candidate < $0 }) ?? true { best = candidate }
                }
            }
            if let best { return best }
        }
        return nil
    }

    /// The runs in `(after, through]`, earliest first, at most `limit` of them.
    public func runs(after moment: Date, through end: Date, limit: Int = 1000) -> [Date] {
        var found: [Date] = []
        var cursor = moment
        while found.count < limit, let next = nextRun(after: cursor), next <= end {
            found.append(next)
            cursor = next
        }
        return found
    }

    private static func runs(_ rule: ScheduleRule, on parts: DateComponents, calendar: Calendar, day: Date) -> Bool {
        guard let weekday = parts.weekday, let dayNumber = parts.day, let month = parts.month else { return false }
        switch rule.kind {
        case .daily:
            guard let days = rule.days, !days.isEmpty else { return true }
            return days.contains { $0.calendarNumber == weekday }
        case .weekly:
            return (rule.days ?? []).contains { $0.calendarNumber == weekday }
        case .monthly, .yearly:
            if rule.kind == .yearly, rule.month != month { return false }
            guard let wanted = rule.dayOfMonth, let length = calendar.range(of: .day, in: .month, for: day)?.count
            else { return false }
            let effective = wanted == 0 ? length : min(wanted, length)
            return dayNumber == effective
        }
    }
}
