import AzureKit

extension AzureJSON {
    /// A compact one-line rendering of restore point metadata for tables: `vm=web-01, disk=os`.
    var summary: String {
        switch self {
        case .object(let fields):
            fields.keys.sorted().map { key in "\(key)=\(fields[key]?.scalarText ?? "")" }.joined(separator: ", ")
        default:
            scalarText
        }
    }

    private var scalarText: String {
        switch self {
        case .null: "null"
        case .bool(let value): "\(value)"
        case .integer(let value): "\(value)"
        case .number(let value): "\(value)"
        case .string(let value): value
        case .array(let values): "[" + values.map(\.scalarText).joined(separator: ", ") + "]"
        case .object: "{…}"
        }
    }
}
