import Foundation

/// The document LocalCloud writes to `DIR/endpoints.json` on start: everything a client needs to connect.
public struct Endpoints: Sendable, Codable, Hashable {
    /// The Entra ID authority host, e.g. `https://127.0.0.1:8443` (tokens: `{authorityHost}/{tenantId}/oauth2/v2.0/token`).
    public var authorityHost: String
    /// The tenant ID.
    public var tenantId: String
    /// The client (application) ID allowed to obtain tokens.
    public var clientId: String
    /// Its client secret.
    public var clientSecret: String
    /// The default subscription ID.
    public var subscriptionId: String
    /// Every subscription ID.
    public var subscriptions: [String]
    /// The ARM endpoint, e.g. `https://127.0.0.1:8443/`.
    public var resourceManager: String
    /// The scope to request ARM tokens for (`https://management.azure.com/.default`).
    public var tokenScope: String
    /// The scope for storage data-plane bearer tokens (`https://storage.azure.com/.default`).
    public var storageTokenScope: String
    /// The absolute path of the CA certificate (PEM) to trust.
    public var caCertificate: String
    /// The regions.
    public var regions: [String]
    /// The blob endpoint of an account, with `{account}` to substitute: `https://127.0.0.1:8443/{account}/`.
    public var blobEndpointTemplate: String
    /// The queue endpoint of an account, with `{account}` to substitute: `https://127.0.0.1:8443/{account}-queue/`.
    public var queueEndpointTemplate: String
    /// The public HTTPS host.
    public var host: String
    /// The public HTTPS port.
    public var port: Int
    /// The plain-HTTP port, when enabled.
    public var httpPort: Int?
    /// The admin endpoint (fault injection): `https://127.0.0.1:8443/_localcloud/`.
    public var adminEndpoint: String
}
