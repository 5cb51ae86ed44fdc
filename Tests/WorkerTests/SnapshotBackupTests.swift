import AzureBlobStore
import AzureKit
import BackupRepository
import Foundation
import LocalCloud
import LocalCloudTesting
import Testing

@testable import Worker

@Suite struct SnapshotBackupTests {
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
        disk slot: VMDiskSlot,
        as source: SnapshotDiskSource,
        folder: URL
    ) async throws {
        let path = folder.appending(path: "restored-\(UUID().uuidString).raw").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await repository.restore(id, disk: slot, toFile: path)
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
            let slots: [VMDiskSlot] = [.os, .data(lun: 0)]
            var ids: [String] = []
            for (index, slot) in slots.enumerated() {
                let id = try await cloud.emptyDisk(slot == .os ? "vm1-os" : "vm1-data0")
                _ = try await guest.mutate(disk: id, percent: 1, seed: UInt64(index + 1))
                ids.append(id)
            }
            var first: [SnapshotBackupDisk] = []
            for (index, slot) in slots.enumerated() {
                first.append(
                    SnapshotBackupDisk(
                        slot: slot,
                        snapshot: try await cloud.snapshotSAS("full-\(index)", of: ids[index])
                    )
                )
            }
            var options = BackupOptions()
            options.metadata = RedeliveredJobs.tag(Data("{}".utf8), jobID: "job-full")
            let full = try await SnapshotBackup.run(
                first,
                configuration: nil,
                into: repository,
                options: options,
                client: cloud.client,
                logger: WorkerCloud.quiet
            )
            #expect(full.incremental.values.allSatisfy { !$0 })
            for slot in slots {
                // Only the allocated pages were read: about 1% of the disk, not all of it.
                #expect((full.bytesRead[slot] ?? 0) > 0 && (full.bytesRead[slot] ?? 0) < 40 << 20)
            }
            let fullID = full.result.restorePoint.id
            #expect(full.result.restorePoint.disks.map(\.slot) == slots)
            #expect(try await RedeliveredJobs.restorePoints(ofJob: "job-full", in: repository).map(\.id) == [fullID])

            var second: [SnapshotBackupDisk] = []
            var plans: [VMDiskSlot: [Int64]] = [:]
            for (index, slot) in slots.enumerated() {
                let plan = try await guest.mutate(disk: ids[index], percent: 0.2, seed: UInt64(10 + index))
                let block = Int64(256 * 1024)
                plans[slot] = [
                    plan.writes.reduce(Int64(0)) { total, write in
                        total + ((write.offset + write.length - 1) / block - write.offset / block + 1) * block
                    }
                ]
                second.append(
                    SnapshotBackupDisk(
                        slot: slot,
                        snapshot: try await cloud.snapshotSAS("incr-\(index)", of: ids[index]),
                        previousSnapshot: first[index].snapshot
                    )
                )
            }
            options.parent = fullID
            options.metadata = Data("{}".utf8)
            let incremental = try await SnapshotBackup.run(
                second,
                configuration: nil,
                into: repository,
                options: options,
                client: cloud.client,
                logger: WorkerCloud.quiet
            )
            #expect(incremental.incremental.values.allSatisfy { $0 })
            for slot in slots {
                // Bytes read are the changed ranges rounded out to whole engine blocks, no more.
                let read = incremental.bytesRead[slot] ?? 0
                #expect(read > 0 && read <= plans[slot]?.first ?? 0)
            }
            for (points, disks) in [(fullID, first), (incremental.result.restorePoint.id, second)] {
                for disk in disks {
                    let source = try await SnapshotDiskSource.open(
                        client: cloud.client,
                        sasURL: disk.snapshot,
                        diskName: disk.name,
                        logger: WorkerCloud.quiet
                    )
                    try await Self.expectRestores(repository, points, disk: disk.slot, as: source, folder: cloud.folder)
                }
            }
        }
    }
}
