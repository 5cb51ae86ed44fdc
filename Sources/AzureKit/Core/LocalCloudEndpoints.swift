import Foundation
import NIOCore
import NIOHTTP1

/// The contents of LocalCloud's `endpoints.json`: where its services listen and the service
/// principal it created. Use ``AzureEnvironment/localCloud(endpointsFile:)`` to load it.
public struct LocalCloudEndpoints: Sendable, Codable, Equatable {
    /// The Entra ID authority host, e.g. `https://127.0.0.1:8443/`.
    public var authorityHost: String
    /// The tenant ID of the service principal.
    public var tenantId: String
    /// The service principal's client ID.
    public var clientId: String
    /// The service principal's secret.
    public var clientSecret: String
    /// The subscription Nimbus works in.
    public var subscriptionId: String
    /// The Resource Manager endpoint.
    public var resourceManager: String
    /// The OAuth scope of Resource Manager tokens.
    public var tokenScope: String?
    /// The path of the PEM file holding LocalCloud's CA certificate.
    public var caCertificate: String?
    /// The regions LocalCloud offers.
    public var regions: [String]?
    /// The OAuth scope of storage data-plane tokens, if given.
    public var storageTokenScope: String?
    /// The Blob endpoint of an account with `{account}` to substitute, if given.
    public var blobEndpointTemplate: String?
    /// The Queue endpoint of an account with `{account}` to substitute, if given.
    public var queueEndpointTemplate: String?

    /// Creates the value.
    public init(
        authorityHost: String,
        tenantId: String,
        clientId: String,
        clientSecret: String,
        subscriptionId: String,
        resourceManager: String,
        tokenScope: String? = nil,
        caCertificate: String? = nil,
        regions: [String]? = nil,
        storageTokenScope: String? = nil,
        blobEndpointTemplate: String? = nil,
        queueEndpointTemplate: String? = nil
    ) {
        self.authorityHost = authorityHost
        self.tenantId = tenantId
        self.clientId = clientId
        self.clientSecret = clientSecret
        self.subscriptionId = subscriptionId
        self.resourceManager = resourceManager
        self.tokenScope = tokenScope
        self.caCertificate = caCertificate
        self.regions = regions
        self.storageTokenScope = storageTokenScope
        self.blobEndpointTemplate = blobEndpointTemplate
        self.queueEndpointTemplate = queueEndpointTemplate
    }
}

extension LocalCloudEndpoints: CustomStringConvertible {
    /// A description without the client secret.
    public var description: String {
        "LocalCloudEndpoints(authorityHost: \(authorityHost), resourceManager: \(resourceManager), tenant: \(tenantId), client: \(clientId), subscription: \(subscriptionId))"
    }
}

extension AzureEnvironment {
    /// Builds an environment from LocalCloud's `endpoints.json` and returns it with the file's contents.
    ///
    /// Storage endpoints come from the file's `blobEndpointTemplate` / `queueEndpointTemplate`
    /// when present, else path style on the Resource Manager host; a storage account's
    /// `primaryEndpoints` can also be recorded with ``StorageEndpoints/set(_:account:service:)``.
    /// - Throws: ``AzureError`` with code ``AzureError/Code/configuration`` naming the file when it
    ///   cannot be read or parsed, or when the CA file is missing.
    public static func localCloud(endpointsFile: URL) throws -> (
        environment: AzureEnvironment, endpoints: LocalCloudEndpoints
    ) {
        let data: Data
        do {
            data = try Data(contentsOf: endpointsFile)
        } catch {
            throw AzureError(
                .configuration,
                message: "Cannot read LocalCloud endpoints file \(endpointsFile.path); start LocalCloud first.",
                underlying: error
            )
        }
        let endpoints: LocalCloudEndpoints
        do {
            endpoints = try JSONDecoder().decode(LocalCloudEndpoints.self, from: data)
        } catch {
            throw AzureError(
                .configuration,
                message: "LocalCloud endpoints file \(endpointsFile.path) is not valid: \(error).",
                underlying: error
            )
        }
        var pem: String?
        if let caPath = endpoints.caCertificate {
            let caURL = URL(fileURLWithPath: caPath, relativeTo: endpointsFile.deletingLastPathComponent())
            do {
                pem = try String(contentsOf: caURL, encoding: .utf8)
            } catch {
                throw AzureError(
                    .configuration,
                    message: "Cannot read LocalCloud CA certificate \(caURL.path) named in \(endpointsFile.path).",
                    underlying: error
                )
            }
        }
        return (try environment(from: endpoints, caPEM: pem), endpoints)
    }

    /// Builds an environment from decoded LocalCloud endpoints and the CA's PEM text.
    public static func environment(from endpoints: LocalCloudEndpoints, caPEM: String?) throws -> AzureEnvironment {
        guard let authority = URL(string: endpoints.authorityHost), authority.host != nil else {
            throw AzureError(
                .configuration,
                message: "LocalCloud authorityHost '\(endpoints.authorityHost)' is not a URL."
            )
        }
        guard let manager = URL(string: endpoints.resourceManager), let host = manager.host else {
            throw AzureError(
                .configuration,
                message: "LocalCloud resourceManager '\(endpoints.resourceManager)' is not a URL."
            )
        }
        let scheme = manager.scheme ?? "https"
        let port = manager.port.map { ":\($0)" } ?? ""
        let fallback = "\(scheme)://\(host)\(port)/{account}/"
        return AzureEnvironment(
            authorityHost: authority,
            resourceManager: manager,
            resourceManagerScope: endpoints.tokenScope,
            storageScope: endpoints.storageTokenScope ?? "https://storage.azure.com/.default",
            storageEndpoints: StorageEndpoints(
                blobPattern: endpoints.blobEndpointTemplate ?? fallback,
                queuePattern: endpoints.queueEndpointTemplate ?? fallback
            ),
            extraTrustedCAPEM: caPEM
        )
    }
}
