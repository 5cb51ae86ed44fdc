import Foundation

/// How the repository's JSON objects write times: ISO 8601 in UTC with milliseconds
/// (`2026-11-24T21:30:00.125Z`), so that restore points made within one second still sort by time.
enum JSONDates {
    private static let withFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    private static let withoutFraction = Date.ISO8601FormatStyle()

    /// The encoding strategy used for every repository object.
    static let encoding = JSONEncoder.DateEncodingStrategy.custom { date, encoder in
        var container = encoder.singleValueContainer()
        try container.encode(date.formatted(withFraction))
    }

    /// The decoding strategy: milliseconds are optional when reading.
    static let decoding = JSONDecoder.DateDecodingStrategy.custom { decoder in
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        if let date = try? withFraction.parse(text) { return date }
        do {
            return try withoutFraction.parse(text)
        } catch {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "'\(text)' is not an ISO 8601 time"
            )
        }
    }
}
