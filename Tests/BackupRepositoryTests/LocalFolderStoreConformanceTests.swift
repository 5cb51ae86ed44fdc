import BackupRepository
import BackupRepositoryTesting
import Foundation
import Testing

/// The `ObjectStore` contract, checked against a real `LocalFolderStore` in a temporary folder.
@Suite struct LocalFolderStoreConformanceTests {
    static let pageSize = 4

    @Test(arguments: ObjectStoreConformance.Check.allCases)
    func contract(_ check: ObjectStoreConformance.Check) async throws {
        let folder = try TemporaryFolder()
        let store = try LocalFolderStore(root: folder.path, pageSize: Self.pageSize)
        try await ObjectStoreConformance(store: store, pageSize: Self.pageSize).run(check)
    }
}
