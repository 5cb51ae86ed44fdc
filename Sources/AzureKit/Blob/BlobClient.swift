import Foundation
import NIOCore
import NIOHTTP1

/// A client for the Blob service of one storage account (or one SAS-scoped container or blob).
///
/// Operations are grouped by concern in extensions: containers, block blobs, downloads,
/// listing, tiers, and page blobs (including page-range diffs for managed-disk snapshots).
public struct BlobClient: Sendable, CustomStringConvertible {
    /// The underlying service client (endpoint, authorization, version).
    public var service: StorageServiceClient

    /// Creates a client for a Blob endpoint.
    public init(client: AzureClient, endpoint: URL, authorization: StorageAuthorization) {
        self.service = StorageServiceClient(client: client, endpoint: endpoint, authorization: authorization)
    }

    /// Creates a client for the Blob service of `account` in `environment`.
    /// - Throws: ``AzureError`` with code ``AzureError/Code/configuration`` when no endpoint can be formed.
    public init(
        client: AzureClient,
        environment: AzureEnvironment,
        account: String,
        authorization: StorageAuthorization
    ) throws {
        guard let endpoint = environment.storageEndpoint(account: account, service: .blob) else {
            throw AzureError(.configuration, message: "No Blob endpoint is configured for storage account \(account).")
        }
        self.init(client: client, endpoint: endpoint, authorization: authorization)
    }

    /// Creates a client from a SAS URL (container or blob SAS, or a managed-disk export URL); the
    /// SAS query is appended to every request.
    public init(client: AzureClient, sasURL: SASURL) throws {
        guard let endpoint = sasURL.serviceEndpoint else {
            throw AzureError(.configuration, message: "Cannot derive the Blob endpoint of \(sasURL).")
        }
        self.init(client: client, endpoint: endpoint, authorization: .sas(sasURL.sasQuery))
    }

    /// A description without secrets.
    public var description: String { "BlobClient(\(service))" }

    /// The URL of a container or blob, SAS included (secret; redact before logging).
    public func url(container: String, blob: String? = nil) -> URL {
        service.url(blob.map { [container, $0] } ?? [container])
    }
}
