import Foundation

/// The times of a shared access signature's `st` and `se` fields, in exactly the ISO 8601 forms Azure documents for
/// them, all in UTC:
///
/// - `YYYY-MM-DD` (midnight),
/// - `YYYY-MM-DDThh:mmZ` (the Azure CLI's `--expiry` form),
/// - `YYYY-MM-DDThh:mm:ssZ`,
/// - `YYYY-MM-DDThh:mm:ss.fffffffZ` (one to seven fractional digits).
///
/// Anything else (a time zone offset, a missing `Z`, a time without minutes, an impossible date) is not a SAS time.
enum SASTime {
    /// The accepted forms, for error messages.
    static let documentedForms = "YYYY-MM-DD, YYYY-MM-DDThh:mmZ, YYYY-MM-DDThh:mm:ssZ or YYYY-MM-DDThh:mm:ss.fffffffZ"

    /// The instant `text` names, or `nil` when it is not one of the documented forms.
    static func parse(_ text: String) -> Date? {
        let pattern = /(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?Z)?/
        guard let match = text.wholeMatch(of: pattern) else { return nil }
        let output = match.output
        guard let year = Int(output.1), let month = Int(output.2), let day = Int(output.3) else { return nil }
        let hour = output.4.flatMap { Int($0) } ?? 0
        let minute = output.5.flatMap { Int($0) } ?? 0
        let second = output.6.flatMap { Int($0) } ?? 0
        guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day), (0...23).contains(hour),
            (0...59).contains(minute), (0...59).contains(second)
        else { return nil }
        var fraction = 0.0
        if let digits = output.7 {
            let ticks = Double(Int(digits) ?? 0)
            fraction = ticks / pow(10, Double(digits.count))
        }
        let days = daysSinceEpoch(year: year, month: month, day: day)
        let seconds = ((days * 24 + hour) * 60 + minute) * 60 + second
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    private static func isLeap(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 to the given proleptic Gregorian date (negative before 1970).
    private static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        var days = 0
        if year >= 1970 {
            for y in 1970..<year { days += isLeap(y) ? 366 : 365 }
        } else {
            for y in year..<1970 { days -= isLeap(y) ? 366 : 365 }
        }
        for m in 1..<month { days += daysIn(month: m, year: year) }
        return days + day - 1
    }
}
