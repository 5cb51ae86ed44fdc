import AzureBlobStore
import AzureKit
import Foundation
import LocalCloud
import LocalCloudTesting
import Logging

/// A LocalCloud in process with one storage account and container, and an `AzureBlobStore` on it.
struct BlobStoreCloud: Sendable {
    let client: AzureClient
    let credential: StorageSharedKeyCredential
    let blobEndpoint: URL
    /// LocalCloud's fault rules (see docs/LOCALCLOUD.md, "Fault injection").
    let faults: FaultInjector

    static let quiet = Logger(label: "azureblobstore.tests", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Starts LocalCloud, creates an account through ARM, runs `body`, and stops everything. `middleware` runs
    /// first in the client's chain (to alter what the client sees of real answers).
    static func with<T: Sendable>(
        middleware: [any AzureMiddleware] = [],
        _ body: @Sendable (BlobStoreCloud) async throws -> T
    ) async throws -> T {
        try await TestCloud.with(middleware: middleware, maxRetries: 3) { cloud in
            let account = try await cloud.account("nimbusstore1")
            return try await body(
                BlobStoreCloud(
                    client: cloud.client,
                    credential: account.credential,
                    blobEndpoint: account.blobEndpoint,
                    faults: cloud.faults
                )
            )
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
