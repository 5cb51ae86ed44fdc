import AzureBlobStore
import AzureKit
import Foundation
import LocalCloud
import Logging

/// A LocalCloud in process with one storage account and container, and an `AzureBlobStore` on it.
struct BlobStoreCloud: Sendable {
    let client: AzureClient
    let credential: StorageSharedKeyCredential
    let blobEndpoint: URL

    static let quiet = Logger(label: "azureblobstore.tests", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Starts LocalCloud, creates an account through ARM, runs `body`, and stops everything.
    static func with<T: Sendable>(_ body: @Sendable (BlobStoreCloud) async throws -> T) async throws -> T {
        let folder = FileManager.default.temporaryDirectory.appending(path: "azureblobstore-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let cloud = try LocalCloud(configuration: .init(dataDirectory: folder), logger: quiet)
        return try await cloud.withRunning { _ in
            let (environment, endpoints) = try AzureEnvironment.localCloud(
                endpointsFile: folder.appending(path: "endpoints.json")
            )
            let client = try AzureClient(
                environment: environment,
                retryPolicy: .exponential(base: .milliseconds(20), maxRetries: 3)
            )
            do {
                let credential = ClientSecretCredential(
                    tenantID: endpoints.tenantId,
                    clientID: endpoints.clientId,
                    clientSecret: endpoints.clientSecret,
                    authorityHost: environment.authorityHost,
                    client: client
                )
                let arm = ARMClient(
                    client: client,
                    environment: environment,
                    credential: credential,
                    subscriptionID: endpoints.subscriptionId,
                    pollInterval: .milliseconds(20)
                )
                let region = endpoints.regions?.first ?? "westeurope"
                try await arm.createResourceGroup("rg-store", location: region, logger: quiet)
                try await arm.createStorageAccount(
                    resourceGroup: "rg-store",
                    name: "nimbusstore1",
                    location: region,
                    logger: quiet
                )
                let key = try await arm.storageAccountKeys(
                    resourceGroup: "rg-store",
                    name: "nimbusstore1",
                    logger: quiet
                )[0].value
                guard let endpoint = environment.storageEndpoint(account: "nimbusstore1", service: .blob) else {
                    throw AzureError(.configuration, message: "no blob endpoint")
                }
                let setup = BlobStoreCloud(
                    client: client,
                    credential: try StorageSharedKeyCredential(accountName: "nimbusstore1", accountKey: key),
                    blobEndpoint: endpoint
                )
                let result = try await body(setup)
                try await client.shutdown()
                return result
            } catch {
                try? await client.shutdown()
                throw error
            }
        }
    }

    /// A store over `container` (created first), signed with Shared Key.
    func sharedKeyStore(container: String, prefix: String = "") async throws -> AzureBlobStore {
        let store = AzureBlobStore(
            client: client,
            endpoint: blobEndpoint,
            container: container,
            credential: credential,
            prefix: prefix,
            logger: Self.quiet
        )
        try await store.createContainerIfNeeded()
        return store
    }
}
