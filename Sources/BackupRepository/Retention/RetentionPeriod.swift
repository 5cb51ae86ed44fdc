import Foundation

/// A calendar period used by the period rules of a ``RetentionPolicy``.
enum RetentionPeriod: String, CaseIterable, Sendable {
    case hourly
    case daily
    case weekly
    case monthly
    case yearly

    /// The label of the period containing `date` in `calendar`, e.g. `2026-11-24T13`, `2026-W48`.
    /// Two dates are in the same period exactly when their labels are equal.
    func label(of date: Date, in calendar: Calendar) -> String {
        let parts = calendar.dateComponents(
            [.year, .month, .day, .hour, .yearForWeekOfYear, .weekOfYear],
            from: date
        )
        let year = parts.year ?? 0
        let month = parts.month ?? 0
        let day = parts.day ?? 0
        switch self {
        case .hourly:
            return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(parts.hour ?? 0, 2))"
        case .daily:
            return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
        case .weekly:
            return "\(pad(parts.yearForWeekOfYear ?? 0, 4))-W\(pad(parts.weekOfYear ?? 0, 2))"
        case .monthly:
            return "\(pad(year, 4))-\(pad(month, 2))"
        case .yearly:
            return pad(year, 4)
        }
    }

    /// How many periods of this kind `policy` keeps.
    func count(in policy: RetentionPolicy) -> Int {
        switch self {
        case .hourly: policy.keepHourly
        case .daily: policy.keepDaily
        case .weekly: policy.keepWeekly
        case .monthly: policy.keepMonthly
        case .yearly: policy.keepYearly
        }
    }

    private func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
