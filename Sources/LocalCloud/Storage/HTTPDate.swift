import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The date formats of the storage services: RFC 1123 in headers and XML, ISO 8601 with seven fractional digits
/// in snapshots and error messages.
enum HTTPDate {
    static func rfc1123(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let day = days[Int(parts.tm_wday) % 7]
        let month = months[Int(parts.tm_mon) % 12]
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return
            "\(day), \(two(parts.tm_mday)) \(month) \(parts.tm_year + 1900) \(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
    }

    static func parseRFC1123(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }

    /// `2019-10-11T02:31:04.0201905Z` (seven fractional digits, as Azure's snapshot times).
    static func iso8601(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        let ticks = Int(((date.timeIntervalSince1970 - seconds) * 10_000_000).rounded(.down))
        return formatter.string(from: Date(timeIntervalSince1970: seconds)) + "." + String(ticks).leftPadded(to: 7)
            + "Z"
    }

    /// Parses ISO 8601 times as SAS tokens carry them (`2024-01-01T00:00:00Z`, with optional fraction, or a date).
    static func parseISO8601(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        // Fractions with more than three digits (Azure uses seven).
        if let dot = text.firstIndex(of: "."), text.hasSuffix("Z") {
            let whole = String(text[..<dot]) + "Z"
            formatter.formatOptions = [.withInternetDateTime]
            if let base = formatter.date(from: whole) {
                let fraction = Double("0" + text[dot..<text.index(before: text.endIndex)]) ?? 0
                return base.addingTimeInterval(fraction)
            }
        }
        formatter.formatOptions = [.withFullDate]
        return formatter.date(from: text)
    }
}
