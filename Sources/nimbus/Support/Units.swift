import Foundation

/// Human-readable sizes, rates and durations for terminal output.
enum Units {
    /// A byte count in binary units, e.g. `1.5 GiB`, `312 KiB`, `17 B`.
    static func bytes(_ count: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"]
        var value = Double(count)
        var unit = 0
        while abs(value) >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        if unit == 0 { return "\(count) B" }
        return String(format: value >= 100 ? "%.0f" : "%.1f", value) + " " + units[unit]
    }

    /// A transfer rate, e.g. `412.3 MiB/s`.
    static func rate(bytes count: Int64, seconds: Double) -> String {
        guard seconds > 0 else { return "-" }
        return bytes(Int64(Double(count) / seconds)) + "/s"
    }

    /// A duration for tables, e.g. `0.42 s`, `12.1 s`, `3 min 05 s`.
    static func duration(_ seconds: Double) -> String {
        if seconds < 10 { return String(format: "%.2f s", seconds) }
        if seconds < 120 { return String(format: "%.1f s", seconds) }
        let whole = Int(seconds.rounded())
        return String(format: "%d min %02d s", whole / 60, whole % 60)
    }

    /// A countdown for progress bars, e.g. `0:07`, `12:30`.
    static func clock(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "--:--" }
        let whole = Int(seconds.rounded())
        if whole >= 3600 { return String(format: "%d:%02d:%02d", whole / 3600, whole / 60 % 60, whole % 60) }
        return String(format: "%d:%02d", whole / 60, whole % 60)
    }

    /// Parses a size such as `2GiB`, `300MiB`, `64k`, `1048576` (binary multiples; `B` is optional).
    static func parseSize(_ text: String) -> Int64? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let digits = trimmed.prefix { $0.isNumber }
        guard let number = Int64(digits) else { return nil }
        var suffix = trimmed.dropFirst(digits.count).trimmingCharacters(in: .whitespaces)
        if suffix.hasSuffix("ib") { suffix.removeLast(2) } else if suffix.hasSuffix("b") { suffix.removeLast() }
        let shift: Int64
        switch suffix {
        case "": shift = 0
        case "k": shift = 10
        case "m": shift = 20
        case "g": shift = 30
        case "t": shift = 40
        default: return nil
        }
        let (value, overflow) = number.multipliedReportingOverflow(by: 1 << shift)
        return overflow ? nil : value
    }
}
