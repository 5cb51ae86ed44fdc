import AzureBlobStore
import AzureKit
import BackupRepository
import Foundation
import Testing

@testable import Worker

@Suite struct DiskBackupTests {
    /// A repository in a LocalCloud Blob container, reached with Shared Key.
    static func repository(_ cloud: WorkerCloud, account: WorkerCloud.Account) async throws -> Repository {
        let store = AzureBlobStore(
            client: cloud.client,
            endpoint: account.blobEndpoint,
            container: "backups",
            credential: account.credential,
            prefix: "vm1/",
            logger: WorkerCloud.quiet
        )
        try await store.createContainerIfNeeded()
        var options = Repository.CreateOptions()
        options.scrypt = .weakForTesting
        return try await Repository.create(store: store, password: "pw", options: options)
    }

    /// Checks that restore point `id` restores to exactly what `source` holds: its allocated ranges, zeros elsewhere.
    static func expectRestores(
        _ repository: Repository,
        _ id: RestorePointID,
        as source: SnapshotDiskSource,
        folder: URL
    ) async throws {
        let path = folder.appending(path: "restored-\(UUID().uuidString).raw").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await repository.restore(id, toFile: path)
        let handle = try #require(FileHandle(forReadingAtPath: path))
        defer { try? handle.close() }
        #expect(try handle.seekToEnd() == UInt64(source.size))
        let allocated = try await source.allocatedRanges()
        var cursor: Int64 = 0
        let piece: Int64 = 4 << 20
        for range in allocated + [ByteRange(offset: source.size, length: 0)] {
            // Zeros up to the range.
            while cursor < range.offset {
                let length = Int(min(piece, range.offset - cursor))
                try handle.seek(toOffset: UInt64(cursor))
                let bytes = try handle.read(upToCount: length) ?? Data()
                #expect(bytes.count == length && bytes.allSatisfy { $0 == 0 }, "not zero at \(cursor)")
                cursor += Int64(length)
            }
            while cursor < range.end {
                let length = Int(min(piece, range.end - cursor))
                try handle.seek(toOffset: UInt64(cursor))
                let restored = try handle.read(upToCount: length) ?? Data()
                let expected = try await source.read(at: cursor, length: length)
                #expect(restored == expected, "bytes at \(cursor) differ")
                cursor += Int64(length)
            }
        }
    }

    @Test func twoDisksFullThenIncrementalRestoreByteIdenticalReadingOnlyChangedBlocks() async throws {
        try await WorkerCloud.with { cloud in
            let account = try await cloud.account("workerrepo1")
            let repository = try await Self.repository(cloud, account: account)
            let guest = try cloud.guest()
            var disks: [(name: String, id: String)] = []
            for name in ["os", "lun 0"] {
                let id = try await cloud.emptyDisk(name == "os" ? "vm1-os" : "vm1-data0")
                try guest.mutate(disk: id, percent: 1, seed: name == "os" ? 1 : 2)
                disks.append((name, id))
            }
            var parents: [RestorePointID] = []
            var firstSAS: [SASURL] = []
            for (index, disk) in disks.enumerated() {
                let sas = try await cloud.snapshotSAS("full-\(index)", of: disk.id)
                firstSAS.append(sas)
                let outcome = try await DiskBackup.run(
                    DiskBackupInput(diskName: disk.name, snapshot: sas),
                    into: repository,
                    parent: nil,
                    client: cloud.client,
                    logger: WorkerCloud.quiet
                ) { $0.metadata = RedeliveredJobs.tag(Data("{}".utf8), jobID: "job-full") }
                #expect(!outcome.incremental)
                // Only the allocated pages were read: about 1% of the disk, not all of it.
                #expect(outcome.bytesRead < 40 << 20)
                parents.append(outcome.result.restorePoint.id)
                let source = try await SnapshotDiskSource.open(
                    client: cloud.client,
                    sasURL: sas,
                    diskName: disk.name,
                    logger: WorkerCloud.quiet
                )
                try await Self.expectRestores(repository, outcome.result.restorePoint.id, as: source, folder: cloud.folder)
            }
            #expect(try await RedeliveredJobs.restorePoints(ofJob: "job-full", in: repository).count == 2)

            for (index, disk) in disks.enumerated() {
                let plan = try guest.mutate(disk: disk.id, percent: 0.2, seed: UInt64(10 + index))
                let sas = try await cloud.snapshotSAS("incr-\(index)", of: disk.id)
                let outcome = try await DiskBackup.run(
                    DiskBackupInput(diskName: disk.name, snapshot: sas, previousSnapshot: firstSAS[index]),
                    into: repository,
                    parent: parents[index],
                    client: cloud.client,
                    logger: WorkerCloud.quiet
                )
                #expect(outcome.incremental)
                // Bytes read are the changed ranges rounded out to whole engine blocks, no more.
                let block = Int64(256 * 1024)
                let rounded = plan.writes.reduce(Int64(0)) { total, write in
                    let first = write.offset / block
                    let last = (write.offset + write.length - 1) / block
                    return total + (last - first + 1) * block
                }
                #expect(outcome.bytesRead > 0 && outcome.bytesRead <= rounded)
                let source = try await SnapshotDiskSource.open(
                    client: cloud.client,
                    sasURL: sas,
                    diskName: disk.name,
                    logger: WorkerCloud.quiet
                )
                try await Self.expectRestores(repository, outcome.result.restorePoint.id, as: source, folder: cloud.folder)
            }
        }
    }
}
