import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// Tokens from the Azure Instance Metadata Service (IMDS) of the VM this code runs on.
///
/// Calls `GET {endpoint}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=…`
/// with `Metadata: true`. The scope's `/.default` suffix is turned into the v1 `resource`.
/// IMDS answers 404 while it starts and 410 while it is updated (for up to 70 seconds); Microsoft's
/// guidance ("How to use managed identities … to acquire an access token", *Retry guidance*) is to
/// retry both, so they are retried here with growing waits for about 90 seconds. 429 and 5xx are
/// retried by the client's retry policy.
public struct ManagedIdentityCredential: TokenCredential, CustomStringConvertible {
    /// Which identity to use.
    public enum Identity: Sendable {
        /// The VM's system-assigned identity.
        case systemAssigned
        /// A user-assigned identity by client ID.
        case clientID(String)
        /// A user-assigned identity by object ID.
        case objectID(String)
        /// A user-assigned identity by ARM resource ID.
        case resourceID(String)
    }

    /// The identity.
    public let identity: Identity
    let endpoint: URL
    let client: AzureClient
    let cache: TokenCache
    let now: @Sendable () -> Date

    /// Creates the credential; `endpoint` defaults to `http://169.254.169.254`.
    public init(
        identity: Identity = .systemAssigned,
        endpoint: URL = URL(string: "http://169.254.169.254")!,
        client: AzureClient,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.identity = identity
        self.endpoint = endpoint
        self.client = client
        self.now = now
        self.cache = TokenCache(refreshMargin: 300, now: now)
    }

    /// A description without secrets.
    public var description: String { "ManagedIdentityCredential(\(identity))" }

    /// A valid token for `scope`, from the cache or a (shared) refresh.
    public func token(scope: String, logger: Logger) async throws -> AccessToken {
        try await cache.token(scope: scope) { try await fetch(scope: scope, logger: logger) }
    }

    /// The v1 resource for a v2 scope: `https://management.azure.com/.default` → `https://management.azure.com/`.
    static func resource(for scope: String) -> String {
        scope.hasSuffix("/.default") ? String(scope.dropLast(".default".count)) : scope
    }

    func fetch(scope: String, logger: Logger) async throws -> AccessToken {
        var items = [("api-version", "2018-02-01"), ("resource", Self.resource(for: scope))]
        switch identity {
        case .systemAssigned: break
        case .clientID(let id): items.append(("client_id", id))
        case .objectID(let id): items.append(("object_id", id))
        case .resourceID(let id): items.append(("msi_res_id", id))
        }
        let url = URLEncoding.appending(items, to: endpoint.appending(path: "metadata/identity/oauth2/token"))
        var headers = HTTPHeaders()
        headers.add(name: "Metadata", value: "true")
        var attempt = 0
        while true {
            let requested = now()
            do {
                let result = try await client.executeBuffered(
                    AzureHTTPRequest(method: .GET, url: url, headers: headers),
                    operation: "imds.token",
                    authorizer: nil,
                    logger: logger
                )
                return try TokenResponse.decode(
                    Array(result.body.readableBytesView),
                    requested: requested,
                    source: "managed identity endpoint"
                )
            } catch let error as AzureError where Self.isStartingUp(error) && attempt < Self.startupRetries {
                let wait = error.retryAfter ?? .seconds(min(1 << attempt, 30))
                logger.debug(
                    "Managed identity endpoint not ready",
                    metadata: [
                        "http.status": .string(error.status.map(String.init) ?? ""),
                        "retry.attempt": .stringConvertible(attempt + 1),
                    ]
                )
                try await client.options.sleep(wait)
                attempt += 1
            } catch let error as AzureError where error.code == .service || error.code == .transport {
                throw Self.noToken(error, endpoint: endpoint)
            }
        }
    }

    /// How many times a 404 or 410 of a starting or updating IMDS is retried.
    static let startupRetries = 7

    /// Whether IMDS answered 404 (starting) or 410 (being updated).
    static func isStartingUp(_ error: AzureError) -> Bool {
        error.code == .service && (error.status == 404 || error.status == 410)
    }

    static func noToken(_ error: AzureError, endpoint: URL) -> AzureError {
        AzureError(
            .authentication,
            status: error.status,
            azureCode: error.azureCode,
            message:
                "The managed identity endpoint gave no token: \(error.message); is a managed identity assigned to this VM?",
            requestID: error.requestID,
            resource: endpoint.absoluteString
        )
    }
}
