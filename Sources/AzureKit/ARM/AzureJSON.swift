import Foundation

/// Any JSON value: the parts of ARM bodies AzureKit passes through without modelling, LocalCloud's stored resources
/// and the command line's free-form metadata.
///
/// Integers and fractional numbers are kept apart (``integer(_:)`` and ``number(_:)``), so that `5` comes back as
/// `5` and not `5.0`, and 64-bit sizes and offsets keep every digit.
public enum AzureJSON: Sendable, Hashable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number without a fraction or exponent that fits 64 bits, e.g. `42`.
    case integer(Int64)
    /// Any other number, e.g. `0.5`.
    case number(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([AzureJSON])
    /// An object.
    case object([String: AzureJSON])
}

extension AzureJSON: Codable {
    /// Decodes any JSON value; whole numbers that fit 64 bits become ``integer(_:)``.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([AzureJSON].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: AzureJSON].self))
        }
    }

    /// Encodes the value as JSON.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}
