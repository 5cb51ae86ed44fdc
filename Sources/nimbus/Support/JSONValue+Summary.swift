import BackupRepository

extension JSONValue {
    /// A compact one-line rendering of restore point metadata for tables: `vm=web-01, disk=os`.
    var summary: String {
        guard case .object(let fields) = self else { return text }
        return fields.keys.sorted().map { key in "\(key)=\(fields[key]?.text ?? "")" }.joined(separator: ", ")
    }
}
