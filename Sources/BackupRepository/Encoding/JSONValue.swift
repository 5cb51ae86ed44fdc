import Foundation

/// A JSON value of any shape: the engine's type for restore point metadata, which callers build and
/// read with it.
///
/// Whole numbers that fit 64 bits stay ``integer(_:)`` (so `5` is not read back as `5.0` and sizes keep
/// every digit); every other number is ``number(_:)``.
public enum JSONValue: Sendable, Hashable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A whole number that fits 64 bits.
    case integer(Int64)
    /// Any other number.
    case number(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object.
    case object([String: JSONValue])

    /// Parses JSON text.
    /// - Throws: `DecodingError` when `data` is not JSON.
    public init(parsing data: Data) throws {
        self = try JSONDecoder().decode(JSONValue.self, from: data)
    }

    /// The value as compact JSON text with sorted keys.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// The member `key` of an object; `nil` for a missing key or a value that is not an object.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members[key]
    }

    /// The string, or `nil` when the value is not a string.
    public var stringValue: String? {
        guard case .string(let text) = self else { return nil }
        return text
    }

    /// The elements, or `nil` when the value is not an array.
    public var arrayValue: [JSONValue]? {
        guard case .array(let elements) = self else { return nil }
        return elements
    }

    /// A short plain rendering: strings without quotes, numbers and booleans as written,
    /// arrays as `[a, b]`, objects as `{…}`.
    public var text: String {
        switch self {
        case .null: "null"
        case .bool(let flag): flag ? "true" : "false"
        case .integer(let whole): String(whole)
        case .number(let real): String(real)
        case .string(let string): string
        case .array(let elements): "[" + elements.map(\.text).joined(separator: ", ") + "]"
        case .object: "{…}"
        }
    }
}

extension JSONValue: Codable {
    /// Decodes any JSON value.
    public init(from decoder: any Decoder) throws {
        let single = try decoder.singleValueContainer()
        if single.decodeNil() {
            self = .null
            return
        }
        if let flag = try? single.decode(Bool.self) {
            self = .bool(flag)
        } else if let whole = try? single.decode(Int64.self) {
            self = .integer(whole)
        } else if let real = try? single.decode(Double.self) {
            self = .number(real)
        } else if let string = try? single.decode(String.self) {
            self = .string(string)
        } else if let elements = try? single.decode([JSONValue].self) {
            self = .array(elements)
        } else {
            self = .object(try single.decode([String: JSONValue].self))
        }
    }

    /// Encodes the value.
    public func encode(to encoder: any Encoder) throws {
        var single = encoder.singleValueContainer()
        switch self {
        case .null: try single.encodeNil()
        case .bool(let flag): try single.encode(flag)
        case .integer(let whole): try single.encode(whole)
        case .number(let real): try single.encode(real)
        case .string(let string): try single.encode(string)
        case .array(let elements): try single.encode(elements)
        case .object(let members): try single.encode(members)
        }
    }
}

extension RestorePoint {
    /// The metadata parsed as JSON; ``JSONValue/null`` when it is empty or not JSON.
    public var metadataValue: JSONValue {
        (try? JSONValue(parsing: metadata)) ?? .null
    }
}
