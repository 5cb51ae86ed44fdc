import AzureBlobStore
import AzureKit
import BackupRepository
import Foundation
import Testing

/// `AzureBlobStore` against LocalCloud's Blob service: block uploads, SAS stores, then a whole repository backup
/// and restore (the `ObjectStore` contract itself is `AzureBlobStoreConformanceTests`).
@Suite struct AzureBlobStoreRoundTripTests {
    /// What the shared contract (`AzureBlobStoreConformanceTests`) does not reach: an object larger than one
    /// block goes up as staged blocks plus a block list, create-only holds for that path too, and errors never
    /// carry the SAS signature.
    @Test func multiBlockUploadsAndErrorsWithoutSecrets() async throws {
        try await BlobStoreCloud.with { cloud in
            var store = try await cloud.sharedKeyStore(container: "repo", prefix: "r1/")
            store.blockSize = 64 * 1024

            let large = Data((0..<(200 * 1024 + 3)).map { UInt8(truncatingIfNeeded: $0 &* 7) })
            try await store.put("packs/aa/large", contents: large, mode: .createOnly)
            #expect(try await store.get("packs/aa/large") == large)
            #expect(try await store.get("packs/aa/large", range: 100_000..<100_010) == large[100_000..<100_010])
            #expect(try await store.head("packs/aa/large")?.size == Int64(large.count))
            do {
                try await store.put("packs/aa/large", contents: large, mode: .createOnly)
                Issue.record("a create-only block upload over an existing object must fail")
            } catch let error as ObjectStoreError {
                #expect(error.code == .alreadyExists)
                #expect(error.key == "packs/aa/large")
            }

            try await store.delete("packs/aa/large")
            do {
                _ = try await store.get("packs/aa/large")
                Issue.record("reading a deleted object must fail")
            } catch let error as ObjectStoreError {
                #expect(error.code == .notFound)
                #expect(!error.description.contains("sig="))
            }
        }
    }

    @Test func containerSASStore() async throws {
        try await BlobStoreCloud.with { cloud in
            _ = try await cloud.sharedKeyStore(container: "sasrepo")
            let sas = BlobSASBuilder(
                container: "sasrepo",
                permissions: .repository,
                expiresOn: Date().addingTimeInterval(3600)
            )
            .sign(with: cloud.credential)
            let url = try SASURL(string: cloud.blobEndpoint.absoluteString + "sasrepo?" + sas.encoded)
            let store = try AzureBlobStore(client: cloud.client, containerSASURL: url, logger: BlobStoreCloud.quiet)
            try await store.put("a/b", contents: Data("via sas".utf8))
            #expect(try await store.get("a/b") == Data("via sas".utf8))
            #expect(try await store.list(prefix: "a/", continuation: nil).objects.map(\.key) == ["a/b"])
            #expect(!store.location.contains(sas.value("sig") ?? "-"))
        }
    }

    @Test func repositoryBackupAndRestore() async throws {
        try await BlobStoreCloud.with { cloud in
            let store = try await cloud.sharedKeyStore(container: "backups")
            var options = Repository.CreateOptions()
            options.encrypted = false
            options.blockSize = 64 * 1024
            let repository = try await Repository.create(store: store, password: nil, options: options)

            let folder = FileManager.default.temporaryDirectory.appending(
                path: "azureblobstore-disk-\(UUID().uuidString)"
            )
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            var image = Data(count: 1024 * 1024)
            for index in stride(from: 0, to: image.count, by: 4096) {
                image[index] = UInt8(truncatingIfNeeded: index / 4096 + 1)
            }
            let path = folder.appending(path: "disk.img").path
            try image.write(to: URL(fileURLWithPath: path))

            let result = try await repository.backup(source: try FileDiskSource(path: path))
            let reopened = try await Repository.open(store: store, password: nil)
            var restored = Data()
            try await reopened.restore(result.restorePoint.id) { restored.append($0) }
            #expect(restored == image)
        }
    }
}
