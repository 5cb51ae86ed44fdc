/// The parts of an ARM resource ID the appliance reads: `/subscriptions/S/resourceGroups/G/providers/NS/TYPE/NAME`.
struct ResourceIDParts: Sendable, Hashable {
    var subscriptionID: String
    var resourceGroup: String
    var name: String

    /// The parts of `id`, or `nil` when it is not a top-level resource ID.
    init?(_ id: String) {
        let parts = id.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard parts.count == 8, parts[0].lowercased() == "subscriptions", parts[2].lowercased() == "resourcegroups",
            parts[4].lowercased() == "providers"
        else { return nil }
        subscriptionID = parts[1]
        resourceGroup = parts[3]
        name = parts[7]
    }
}
