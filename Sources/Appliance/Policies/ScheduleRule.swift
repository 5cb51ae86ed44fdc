/// One rule of a policy's schedule.
///
/// In JSON: `{"kind":"daily","times":["02:00","14:00"],"days":["mon","tue"]}` (no `days`: every day),
/// `{"kind":"weekly","days":["sun"],"times":["03:00"]}`, `{"kind":"monthly","dayOfMonth":1,"times":["04:00"]}`
/// (`dayOfMonth` 1–31, or 0 for the month's last day; a day past the end of a short month runs on its last day),
/// and `{"kind":"yearly","month":1,"dayOfMonth":1,"times":["05:00"]}`.
public struct ScheduleRule: Sendable, Hashable, Codable {
    /// How often the rule runs.
    public enum Kind: String, Sendable, Hashable, Codable {
        case daily, weekly, monthly, yearly
    }

    /// How often the rule runs.
    public var kind: Kind
    /// The times of day it runs at (at least one).
    public var times: [TimeOfDay]
    /// Daily and weekly: the days it runs on (daily: none means every day; weekly: at least one).
    public var days: [Weekday]?
    /// Monthly and yearly: the day of the month, 1–31, or 0 for the last day.
    public var dayOfMonth: Int?
    /// Yearly: the month, 1–12.
    public var month: Int?

    /// A rule; ``validate()`` checks that the fields fit the kind.
    public init(kind: Kind, times: [TimeOfDay], days: [Weekday]? = nil, dayOfMonth: Int? = nil, month: Int? = nil) {
        self.kind = kind
        self.times = times
        self.days = days
        self.dayOfMonth = dayOfMonth
        self.month = month
    }

    /// Every day (or on `days`) at `times`.
    public static func daily(at times: [TimeOfDay], on days: [Weekday]? = nil) -> ScheduleRule {
        ScheduleRule(kind: .daily, times: times, days: days)
    }

    /// Every week on `day` at `time`.
    public static func weekly(on day: Weekday, at time: TimeOfDay) -> ScheduleRule {
        ScheduleRule(kind: .weekly, times: [time], days: [day])
    }

    /// Every month on `day` (0: the last day) at `time`.
    public static func monthly(on day: Int, at time: TimeOfDay) -> ScheduleRule {
        ScheduleRule(kind: .monthly, times: [time], dayOfMonth: day)
    }

    /// Every year on `day` of `month` at `time`.
    public static func yearly(month: Int, day: Int, at time: TimeOfDay) -> ScheduleRule {
        ScheduleRule(kind: .yearly, times: [time], dayOfMonth: day, month: month)
    }

    /// Checks that the fields the kind needs are there and in range.
    public func validate() throws(ApplianceError) {
        guard !times.isEmpty else { throw .invalidInput("a \(kind.rawValue) schedule needs at least one time (HH:MM)") }
        switch kind {
        case .daily:
            break
        case .weekly:
            guard let days, !days.isEmpty else {
                throw .invalidInput(
                    "a weekly schedule needs \"days\": at least one of mon, tue, wed, thu, fri, sat, sun"
                )
            }
        case .monthly, .yearly:
            guard let dayOfMonth, (0...31).contains(dayOfMonth) else {
                throw .invalidInput(
                    "a \(kind.rawValue) schedule needs \"dayOfMonth\" from 1 to 31, or 0 for the last day of the month"
                )
            }
            if kind == .yearly {
                guard let month, (1...12).contains(month) else {
                    throw .invalidInput("a yearly schedule needs \"month\" from 1 to 12")
                }
            }
        }
    }
}
