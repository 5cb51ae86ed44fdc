extension AzureJSON {
    /// The member `key` of an object, or `nil` for other values and missing members. Setting a member of a
    /// value that is not an object does nothing.
    public subscript(key: String) -> AzureJSON? {
        get {
            guard case .object(let members) = self else { return nil }
            return members[key]
        }
        set {
            guard case .object(var members) = self else { return }
            members[key] = newValue
            self = .object(members)
        }
    }

    /// The element at `index` of an array, or `nil` for other values and indexes out of range.
    public subscript(index: Int) -> AzureJSON? {
        guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }

    /// The member `key` of an object, compared without regard to case (ARM property names are case-insensitive).
    public func member(caseInsensitive key: String) -> AzureJSON? {
        guard case .object(let members) = self else { return nil }
        if let exact = members[key] { return exact }
        let lowered = key.lowercased()
        return members.first { $0.key.lowercased() == lowered }?.value
    }

    /// The string, if this is one.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The value as an `Int`: an integer, a whole ``number(_:)`` or a string of digits; otherwise `nil`.
    public var intValue: Int? {
        switch self {
        case .integer(let value): return Int(exactly: value)
        case .number(let value) where value == value.rounded(): return Int(exactly: value)
        case .string(let value): return Int(value)
        default: return nil
        }
    }

    /// The value as a `Double` (integers too), or `nil`.
    public var doubleValue: Double? {
        switch self {
        case .integer(let value): return Double(value)
        case .number(let value): return value
        default: return nil
        }
    }

    /// The Boolean, if this is one.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The members, if this is an object.
    public var objectValue: [String: AzureJSON]? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// The elements, if this is an array.
    public var arrayValue: [AzureJSON]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// An empty JSON object.
    public static let emptyObject = AzureJSON.object([:])
}
