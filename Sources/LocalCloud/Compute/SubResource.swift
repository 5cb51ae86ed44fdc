/// A reference to another resource by ARM ID: `{"id": "…"}`.
public struct SubResource: Codable, Sendable, Hashable {
    /// The referenced resource's ARM ID.
    public var id: String

    /// Creates a reference.
    public init(id: String) {
        self.id = id
    }
}
