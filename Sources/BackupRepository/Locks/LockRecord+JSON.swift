import Foundation

extension LockRecord {
    /// The record as stored: JSON with sorted keys and ISO 8601 times with milliseconds.
    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.formatted(Self.timeFormat))
        }
        return try encoder.encode(self)
    }

    /// Reads a stored record.
    static func decode(_ data: Data) throws -> LockRecord {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            return try Self.timeFormat.parse(text)
        }
        return try decoder.decode(LockRecord.self, from: data)
    }

    private static let timeFormat = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
}
