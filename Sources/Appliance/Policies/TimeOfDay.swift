/// A time of day, `HH:MM` in JSON.
public struct TimeOfDay: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// 0–23.
    public var hour: Int
    /// 0–59.
    public var minute: Int

    /// A time; fails unless 0 ≤ hour < 24 and 0 ≤ minute < 60.
    public init(hour: Int, minute: Int = 0) throws(ApplianceError) {
        guard (0..<24).contains(hour), (0..<60).contains(minute) else {
            throw .invalidInput("\(hour):\(minute) is not a time of day; give HH:MM from 00:00 to 23:59")
        }
        self.hour = hour
        self.minute = minute
    }

    /// Reads `HH:MM`.
    public init(_ text: String) throws(ApplianceError) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ (1...2).contains($0.count) }), let hour = Int(parts[0]),
            let minute = Int(parts[1])
        else { throw .invalidInput("\"\(text)\" is not a time of day; give HH:MM, e.g. 02:30") }
        try self.init(hour: hour, minute: minute)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(text)
        } catch {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: error.description)
            )
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public var description: String {
        (hour < 10 ? "0" : "") + "\(hour):" + (minute < 10 ? "0" : "") + "\(minute)"
    }

    public static func < (left: TimeOfDay, right: TimeOfDay) -> Bool {
        (left.hour, left.minute) < (right.hour, right.minute)
    }
}

/// A day of the week, `mon` … `sun` in JSON.
public enum Weekday: String, Sendable, Hashable, Codable, CaseIterable {
    case sun, mon, tue, wed, thu, fri, sat

    /// The Gregorian calendar's weekday number (1 = Sunday).
    var calendarNumber: Int { Weekday.allCases.firstIndex(of: self)! + 1 }
}
