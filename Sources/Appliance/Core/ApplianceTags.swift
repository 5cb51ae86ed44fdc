/// The names of the tags the appliance puts on what it creates.
///
/// Every name starts with `nimbus`; the appliance never removes such a tag except with its resource. Values
/// are at most 256 characters, as Azure allows.
public enum ApplianceTags {
    /// The appliance's VM resource ID (``ApplianceIdentity/vmResourceID``): who owns the resource.
    public static let appliance = "nimbus-appliance"
    /// What the resource is for: one of ``Role``.
    public static let role = "nimbus-role"
    /// The region a regional resource serves.
    public static let region = "nimbus-region"
    /// The session that created the resource (transient resources only: snapshots, grants, workers' jobs).
    public static let session = "nimbus-session"
    /// The task (one VM of a session) that created the resource.
    public static let task = "nimbus-task"
    /// The prefix of the sealed metadata tags of a cloud-native snapshot: `nimbus-meta-0`, `nimbus-meta-1`, …
    public static let sealedMetadataPrefix = "nimbus-meta-"
    /// The prefix every appliance tag starts with.
    public static let prefix = "nimbus"

    /// The purposes the appliance creates resources for.
    public enum Role: String, Sendable, CaseIterable, Codable {
        /// The worker virtual network of a region.
        case workerNetwork = "worker-network"
        /// The storage account of a region (worker binaries, queues of that region's workers).
        case workerStorage = "worker-storage"
        /// A private endpoint of the worker storage account or of a disk access.
        case privateEndpoint = "private-endpoint"
        /// The disk access of a region.
        case diskAccess = "disk-access"
        /// A worker VM, its NIC and its OS disk.
        case worker
        /// A disk snapshot that belongs to a cloud-native snapshot of a VM.
        case snapshot
    }

    /// The tags every resource the appliance creates carries: its owner and role (and region when given).
    public static func owned(by identity: ApplianceIdentity, role: Role, region: String? = nil) -> [String: String] {
        var tags = [appliance: identity.vmResourceID, self.role: role.rawValue]
        if let region { tags[self.region] = region }
        return tags
    }

    /// Whether `tags` say the resource belongs to `identity` (tag names and IDs compare case-insensitively).
    public static func isOwned(_ tags: [String: String]?, by identity: ApplianceIdentity) -> Bool {
        guard let tags else { return false }
        return tags.contains { key, value in
            key.lowercased() == appliance && value.lowercased() == identity.vmResourceID.lowercased()
        }
    }
}
