import AzureBlobStore
import BackupRepository
import BackupRepositoryTesting
import Testing

/// The `ObjectStore` contract, checked against `AzureBlobStore` on LocalCloud over HTTPS.
@Suite struct AzureBlobStoreConformanceTests {
    static let pageSize = 4

    @Test(arguments: ObjectStoreConformance.Check.allCases)
    func contract(_ check: ObjectStoreConformance.Check) async throws {
        try await BlobStoreCloud.with { cloud in
            var store = try await cloud.sharedKeyStore(container: "conformance", prefix: "repo/")
            store.pageSize = Self.pageSize
            store.blockSize = 4096
            try await ObjectStoreConformance(store: store, pageSize: Self.pageSize).run(check)
        }
    }
}
