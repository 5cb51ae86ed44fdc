/// A private endpoint connection as the target resource (disk access, storage account) lists it.
public struct PrivateEndpointConnection: Codable, Sendable, Equatable {
    /// The connection's properties.
    public struct Properties: Codable, Sendable, Equatable {
        /// The connected endpoint.
        public var privateEndpoint: SubResource?
        /// The approval state; same-tenant connections are auto-approved.
        public var privateLinkServiceConnectionState: PrivateLinkServiceConnectionState?
        /// `Succeeded`.
        public var provisioningState: String?
        /// The group IDs, for example `["disks"]`.
        public var groupIds: [String]?
    }

    /// The connection's ARM ID (under the target resource).
    public var id: String?
    /// The connection's name.
    public var name: String?
    /// The connection's type, for example `Microsoft.Compute/diskAccesses/privateEndpointConnections`.
    public var type: String?
    /// The properties.
    public var properties: Properties?
}

/// `privateLinkServiceConnectionState`: `{"status":"Approved","description":"Auto-Approved","actionsRequired":"None"}`.
public struct PrivateLinkServiceConnectionState: Codable, Sendable, Equatable {
    /// `Approved`, `Pending`, `Rejected` or `Disconnected`.
    public var status: String?
    /// Why, for people.
    public var description: String?
    /// `None` when nothing is needed.
    public var actionsRequired: String?

    /// The state of an automatically approved connection.
    public static let autoApproved = PrivateLinkServiceConnectionState(
        status: "Approved",
        description: "Auto-Approved",
        actionsRequired: "None"
    )
}
