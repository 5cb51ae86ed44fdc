import Foundation

/// The tenant, the client credentials and the subscriptions of a LocalCloud instance, kept in
/// `DIR/identity.json` and created on first start.
public struct IdentitySettings: Sendable, Codable, Hashable {
    /// The tenant (directory) ID.
    public var tenantID: String
    /// The one application (service principal) that may obtain tokens.
    public var clientID: String
    /// Its client secret.
    public var clientSecret: String
    /// The subscriptions; the first is the default.
    public var subscriptionIDs: [String]

    /// Fresh random settings with `subscriptionCount` subscriptions.
    static func generate(subscriptionCount: Int) -> IdentitySettings {
        var secretBytes = [UInt8](repeating: 0, count: 30)
        for index in secretBytes.indices { secretBytes[index] = UInt8.random(in: 0...255) }
        let secret = Data(secretBytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        return IdentitySettings(
            tenantID: UUID().uuidString.lowercased(),
            clientID: UUID().uuidString.lowercased(),
            clientSecret: "lc~" + secret,
            subscriptionIDs: (0..<max(1, subscriptionCount)).map { _ in UUID().uuidString.lowercased() }
        )
    }
}
