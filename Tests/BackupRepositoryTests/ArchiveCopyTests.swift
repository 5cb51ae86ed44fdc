import BackupRepositoryTesting
import Foundation
import Testing

@testable import BackupRepository

/// Copies of restore points into a linked archive repository in a local folder.
@Suite struct ArchiveCopyTests {
    static let archivePassword = "archive password"

    static func archive(
        of source: Repository,
        store: any ObjectStore,
        packSize: Int = 4 << 20
    ) async throws -> Repository {
        var options = Repository.LinkedCreateOptions()
        options.packTargetSize = packSize
        options.scrypt = .weakForTesting
        return try await Repository.createLinked(
            store: store,
            password: archivePassword,
            source: source,
            options: options
        )
    }

    @Test func secondCopyCarriesOnlyTheNewBlocksAndEveryPointRestores() async throws {
        let folder = try TemporaryFolder()
        let source = try await Fixtures.repository(in: folder)
        let archive = try await Self.archive(of: source, store: LocalFolderStore(root: folder.file("archive")))
        #expect(archive.config.linkedTo == source.config.id)
        #expect(archive.config.archivesDataPacks)
        #expect(archive.config.id != source.config.id)
        #expect(archive.config.packTargetSize == 4 << 20)

        let path = folder.file("disk.img")
        var image = Images.make(.mixed, size: 3_000_017, seed: 8)
        try Fixtures.write(image, to: path)
        let first = try await source.backup(source: FileDiskSource(path: path))
        let firstImage = image
        let full = try await source.copy(restorePoints: [first.restorePoint.id], to: archive)
        #expect(full.restorePointsCopied == [first.restorePoint.id.hex])
        #expect(full.blocksCopied == first.statistics.blocksNew)
        #expect(full.nodesCopied > 0)
        #expect(full.blocksPresent == 0)
        #expect(full.dataPacksWritten >= 1 && full.treePacksWritten >= 1)

        let ranges = IncrementalTests.mutate(&image, writes: 5, seed: 77)
        try Fixtures.write(image, to: path)
        let second = try await source.backup(
            source: FileDiskSource(path: path),
            options: BackupOptions(parent: first.restorePoint.id, changedRanges: ranges)
        )
        #expect(second.statistics.blocksNew > 0)
        let incremental = try await source.copy(
            restorePoints: [first.restorePoint.id, second.restorePoint.id],
            to: archive
        )
        #expect(incremental.restorePointsCopied == [second.restorePoint.id.hex])
        #expect(incremental.restorePointsPresent == [first.restorePoint.id.hex])
        #expect(incremental.blocksCopied == second.statistics.blocksNew)
        #expect(incremental.blocksPresent > 0)
        #expect(incremental.bytesCopied < full.bytesCopied / 2)

        // The archive opens with its own password, and restores both points byte for byte.
        let reopened = try await Repository.open(store: archive.store, password: Self.archivePassword)
        #expect(try await Fixtures.restoreBytes(reopened, first.restorePoint.id, folder: folder) == firstImage)
        #expect(try await Fixtures.restoreBytes(reopened, second.restorePoint.id, folder: folder) == image)
        #expect(try await reopened.verify(.full).isHealthy)

        // Data and tree nodes live in separate packs.
        for key in try await reopened.listIndexObjects() {
            var kinds: [PackID: Set<Bool>] = [:]
            for location in try await reopened.readIndexObject(key).locations {
                kinds[location.pack, default: []].insert(location.entry.flags.contains(.treeNode))
            }
            #expect(kinds.values.allSatisfy { $0.count == 1 })
        }

        let again = try await source.copy(restorePoints: [second.restorePoint.id], to: archive)
        #expect(again.restorePointsCopied.isEmpty && again.blocksCopied == 0 && again.nodesCopied == 0)
    }

    @Test func copyingBetweenUnlinkedRepositoriesIsRefusedNamingBoth() async throws {
        let folder = try TemporaryFolder()
        let source = try await Fixtures.repository(in: folder)
        let other = try await Repository.create(
            store: LocalFolderStore(root: folder.file("other")),
            password: Fixtures.password,
            options: Fixtures.options()
        )
        try Fixtures.write(Images.make(.random, size: 300_000), to: folder.file("disk.img"))
        let point = try await source.backup(source: FileDiskSource(path: folder.file("disk.img"))).restorePoint
        do {
            _ = try await source.copy(restorePoints: [point.id], to: other)
            Issue.record("a copy between unlinked repositories must fail")
        } catch let error as RepositoryError {
            #expect(error.code == .notLinked)
            #expect(error.message.contains(source.config.id) && error.message.contains(other.config.id))
            #expect(error.message.contains("--linked-to"))
        }
        #expect(try await other.listPacks().isEmpty)
        #expect(source.isLinked(with: source))
    }

    @Test func copyStoppedBeforeItsRestorePointLeavesAValidArchiveAndTheRerunFinishes() async throws {
        let folder = try TemporaryFolder()
        let source = try await Fixtures.repository(in: folder)
        let faulty = FaultyStore(
            try LocalFolderStore(root: folder.file("archive")),
            rules: [FaultRule(.put, keyPrefix: "restorepoints/", effect: .fail(.io))]
        )
        let archive = try await Self.archive(of: source, store: faulty, packSize: 1 << 20)
        let image = Images.make(.mixed, size: 2_500_000, seed: 3)
        try Fixtures.write(image, to: folder.file("disk.img"))
        let backup = try await source.backup(source: FileDiskSource(path: folder.file("disk.img")))
        await #expect(throws: ObjectStoreError.self) {
            _ = try await source.copy(restorePoints: [backup.restorePoint.id], to: archive)
        }
        #expect(try await archive.listRestorePointIDs().isEmpty)
        #expect(try await archive.verify(.full).isHealthy)
        #expect(try await archive.locks().list().isEmpty)

        let rerun = try await source.copy(restorePoints: [backup.restorePoint.id], to: archive)
        #expect(rerun.restorePointsCopied == [backup.restorePoint.id.hex])
        #expect(rerun.blocksCopied == 0 && rerun.nodesCopied == 0)
        #expect(try await Fixtures.restoreBytes(archive, backup.restorePoint.id, folder: folder) == image)
    }

    @Test func smallMemoryBudgetCopiesInSeveralPassesWithTheSameResult() async throws {
        let folder = try TemporaryFolder()
        let source = try await Fixtures.repository(in: folder)
        let archive = try await Self.archive(of: source, store: LocalFolderStore(root: folder.file("archive")))
        let image = Images.make(.random, size: 2_000_000, seed: 9)
        try Fixtures.write(image, to: folder.file("disk.img"))
        let backup = try await source.backup(source: FileDiskSource(path: folder.file("disk.img")))
        var options = CopyOptions()
        options.memoryBudget = 1024
        let report = try await source.copy(restorePoints: [backup.restorePoint.id], to: archive, options: options)
        #expect(report.passes > 1)
        #expect(report.blocksCopied == backup.statistics.blocksNew)
        #expect(try await Fixtures.restoreBytes(archive, backup.restorePoint.id, folder: folder) == image)
    }
}
