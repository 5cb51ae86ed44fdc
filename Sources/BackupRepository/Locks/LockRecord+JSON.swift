import Foundation

extension LockRecord {
    /// The record as stored: JSON with sorted keys and ISO 8601 times with milliseconds.
    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        encoder.dateEncodingStrategy = JSONDates.encoding
        return try encoder.encode(self)
    }

    /// Reads a stored record.
    static func decode(_ data: Data) throws -> LockRecord {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = JSONDates.decoding
        return try decoder.decode(LockRecord.self, from: data)
    }
}
