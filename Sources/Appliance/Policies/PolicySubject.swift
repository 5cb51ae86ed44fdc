/// A VM as policies see it: where it is and how it is tagged.
public struct PolicySubject: Sendable, Hashable, Codable {
    /// The VM's resource ID.
    public var resourceID: String
    /// The VM's tags.
    public var tags: [String: String]
    /// Whether the inventory no longer finds the VM (a deleted VM is never backed up).
    public var deleted: Bool

    /// A subject; the subscription and resource group are read from `resourceID`.
    public init(resourceID: String, tags: [String: String] = [:], deleted: Bool = false) {
        self.resourceID = resourceID
        self.tags = tags
        self.deleted = deleted
    }

    /// The subscription ID (the second segment of the resource ID), lowercased.
    public var subscriptionID: String { segment(1) }

    /// The resource group's ID, `/subscriptions/S/resourceGroups/G`, lowercased.
    public var resourceGroupID: String { "/subscriptions/\(segment(1))/resourcegroups/\(segment(3))" }

    private func segment(_ index: Int) -> String {
        let parts = resourceID.split(separator: "/", omittingEmptySubsequences: true)
        return index < parts.count ? parts[index].lowercased() : ""
    }
}
