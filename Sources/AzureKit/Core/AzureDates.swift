import Foundation
import NIOCore
import NIOHTTP1

/// RFC 1123 dates as Azure uses them in `x-ms-date`, `Last-Modified` and list bodies.
public enum AzureHTTPDate {
    /// Formats `date` as `Fri, 25 Oct 2019 17:59:36 GMT`.
    public static func format(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }

    /// Parses an RFC 1123 date, or returns `nil`.
    public static func parse(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }
}

/// ISO 8601 dates as Azure uses them in SAS tokens (`2024-01-01T00:00:00Z`) and ARM bodies.
public enum AzureISODate {
    /// Formats `date` as `2024-01-01T00:00:00Z` (whole seconds, UTC).
    public static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    /// Parses an ISO 8601 date with or without fractional seconds (up to 7 digits, as Azure sends).
    public static func parse(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date }
        // Trim fractional seconds beyond milliseconds, which ISO8601DateFormatter rejects.
        guard let dot = text.firstIndex(of: ".") else { return nil }
        var end = text.index(after: dot)
        while end < text.endIndex, text[end].isNumber { end = text.index(after: end) }
        let fraction = text[text.index(after: dot)..<end]
        let trimmed =
            text[..<dot] + "." + fraction.prefix(3).padding(toLength: 3, withPad: "0", startingAt: 0) + text[end...]
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: String(trimmed))
    }
}
