import AzureBlobStore
import AzureKit
import BackupRepository
import Foundation
import Testing

/// An archive repository in LocalCloud Blob storage: data packs in the Archive tier, everything else online.
@Suite struct ArchiveTierTests {
    static func image(_ seed: UInt8, size: Int = 1 << 20) -> Data {
        var bytes = Data(count: size)
        var state = UInt64(seed) &+ 0x9E37_79B9_7F4A_7C15
        for index in 0..<size {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            bytes[index] = UInt8(truncatingIfNeeded: state >> 56)
        }
        return bytes
    }

    @Test func archivedDataPacksAreInTheArchiveTierAndReadingThemAsksForRehydration() async throws {
        try await BlobStoreCloud.with { cloud in
            var options = Repository.CreateOptions()
            options.blockSize = 64 * 1024
            options.scrypt = .weakForTesting
            options.packTargetSize = 1 << 20
            let source = try await Repository.create(
                store: try await cloud.sharedKeyStore(container: "backups"),
                password: "source",
                options: options
            )
            var linked = Repository.LinkedCreateOptions()
            linked.packTargetSize = 2 << 20
            linked.scrypt = .weakForTesting
            let archiveStore = try await cloud.sharedKeyStore(container: "archive", prefix: "vm1/")
            let archive = try await Repository.createLinked(
                store: archiveStore,
                password: "archive",
                source: source,
                options: linked
            )

            let folder = FileManager.default.temporaryDirectory.appending(path: "archive-tier-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let path = folder.appending(path: "disk.img").path
            var image = Self.image(1)
            try image.write(to: URL(fileURLWithPath: path))
            let first = try await source.backup(source: try FileDiskSource(path: path))
            let full = try await source.copy(restorePoints: [first.restorePoint.id], to: archive)
            #expect(full.blocksCopied == first.statistics.blocksNew)
            #expect(full.packsArchived == full.dataPacksWritten && full.dataPacksWritten >= 1)

            // Change 3 of the 16 blocks, back up again, archive again: only those travel.
            image.replaceSubrange(0..<4096, with: Self.image(2, size: 4096))
            image.replaceSubrange(300_000..<300_100, with: Self.image(3, size: 100))
            image.replaceSubrange(900_000..<1_000_000, with: Self.image(4, size: 100_000))
            try image.write(to: URL(fileURLWithPath: path))
            let second = try await source.backup(source: try FileDiskSource(path: path))
            // The three changes touch a handful of blocks (the last spans a block boundary), far fewer than the disk's.
            #expect((3...5).contains(second.statistics.blocksNew))
            let incremental = try await source.copy(restorePoints: [second.restorePoint.id], to: archive)
            #expect(incremental.blocksCopied == second.statistics.blocksNew)
            #expect(incremental.packsArchived == incremental.dataPacksWritten)

            // Every data pack is archived, every tree pack online, both as the store and as Azure report them.
            let reopened = try await Repository.open(store: archiveStore, password: "archive")
            var dataPacks = Set<PackID>()
            var treePacks = Set<PackID>()
            for key in try await reopened.listIndexObjects() {
                for location in try await reopened.readIndexObject(key).locations {
                    if location.entry.flags.contains(.treeNode) {
                        treePacks.insert(location.pack)
                    } else {
                        dataPacks.insert(location.pack)
                    }
                }
            }
            #expect(dataPacks.count == full.dataPacksWritten + incremental.dataPacksWritten)
            #expect(dataPacks.isDisjoint(with: treePacks) && !treePacks.isEmpty)
            for pack in dataPacks {
                #expect(try await reopened.tier(of: pack)?.tier == .archive)
                let properties = try await archiveStore.blobs.properties(
                    container: "archive",
                    blob: "vm1/" + pack.objectKey,
                    logger: BlobStoreCloud.quiet
                )
                #expect(properties.accessTier == .archive)
            }
            for pack in treePacks { #expect(try await reopened.tier(of: pack)?.tier == .online) }
            let listed = try await archiveStore.blobs.listBlobsPage(
                container: "archive",
                prefix: "vm1/packs/",
                marker: nil,
                maxResults: 1000,
                logger: BlobStoreCloud.quiet
            )
            #expect(listed.blobs.filter { $0.properties.accessTier == .archive }.count == dataPacks.count)

            // Listing and planning need no rehydration; reading data does, and says so.
            #expect(
                Set(try await reopened.listRestorePoints().map(\.id)) == [
                    first.restorePoint.id, second.restorePoint.id,
                ]
            )
            do {
                try await reopened.restore(second.restorePoint.id) { _ in }
                Issue.record("restoring from archived packs must fail until they are rehydrated")
            } catch let error as RepositoryError {
                #expect(error.code == .archived)
                #expect(error.message.contains("rehydrate"))
                #expect(error.message.contains("packs/"))
            }
            // The source still restores the same point.
            var restored = Data()
            try await source.restore(second.restorePoint.id) { restored.append($0) }
            #expect(restored == image)
        }
    }
}
