/// Who sent a message: a worker or an appliance, with its ID.
public struct Party: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The sender's role.
    public enum Role: String, Sendable, Hashable, Codable {
        /// A worker VM.
        case worker
        /// The backup appliance.
        case appliance
    }

    /// The sender's role.
    public var role: Role
    /// The worker ID or appliance ID.
    public var id: String

    /// A sender.
    public init(role: Role, id: String) {
        self.role = role
        self.id = id
    }

    /// A worker.
    public static func worker(_ id: String) -> Party { Party(role: .worker, id: id) }
    /// An appliance.
    public static func appliance(_ id: String) -> Party { Party(role: .appliance, id: id) }

    /// `worker:ID` or `appliance:ID`.
    public var description: String { "\(role.rawValue):\(id)" }
}
