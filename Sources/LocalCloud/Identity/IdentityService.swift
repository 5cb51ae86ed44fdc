import Foundation

/// The tenant's identity: its settings (tenant, client, subscriptions) and the token issuer.
public struct IdentityService: Sendable {
    /// The tenant, client credentials and subscriptions.
    public let settings: IdentitySettings
    /// Issues and verifies access tokens.
    public let tokens: TokenIssuer

    /// Loads `DIR/identity.json` and `DIR/identity/`, creating them on first start.
    init(directory: URL, subscriptionCount: Int) throws {
        let file = directory.appendingPathComponent("identity.json")
        if let existing = try AtomicFile.readJSON(IdentitySettings.self, from: file) {
            settings = existing
        } else {
            let created = IdentitySettings.generate(subscriptionCount: subscriptionCount)
            try AtomicFile.writeJSON(created, to: file)
            settings = created
        }
        tokens = try TokenIssuer(directory: directory.appendingPathComponent("identity"))
    }
}
