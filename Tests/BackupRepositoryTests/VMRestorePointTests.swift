import Foundation
import Synchronization
import Testing

@testable import BackupRepository

/// VM restore points: several disks and a VM configuration in one restore point, written last.
@Suite struct VMRestorePointTests {
    static func configuration(name: String = "web-01", dataLUNs: [Int] = [0]) -> VMConfiguration {
        let base = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Compute"
        let disks =
            [
                VMDiskConfiguration(
                    slot: .os,
                    name: "\(name)-os",
                    resourceID: "\(base)/disks/\(name)-os",
                    sizeBytes: 0,
                    sku: "Premium_LRS"
                )
            ]
            + dataLUNs.map {
                VMDiskConfiguration(
                    slot: .data(lun: $0),
                    name: "\(name)-data\($0)",
                    resourceID: "\(base)/disks/\(name)-data\($0)",
                    sizeBytes: 0,
                    sku: "StandardSSD_LRS"
                )
            }
        return VMConfiguration(
            name: name,
            resourceID: "\(base)/virtualMachines/\(name)",
            region: "westeurope",
            size: "Standard_D2s_v5",
            osType: .linux,
            tags: ["env": "test"],
            disks: disks
        )
    }

    static func restored(
        _ repository: Repository,
        _ id: RestorePointID,
        disk: VMDiskSlot,
        folder: TemporaryFolder
    ) async throws -> Data {
        let path = folder.file("restored-\(id.hex)-\(disk)")
        try await repository.restore(id, disk: disk, toFile: path)
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    @Test func aTwoDiskBackupRestoresEachDiskAndAnIncrementalReadsOnlyChanges() async throws {
        let folder = try TemporaryFolder()
        let repository = try await Fixtures.repository(in: folder)
        var os = Images.make(.mixed, size: 1_500_001, seed: 1)
        var data = Images.make(.random, size: 900_000, seed: 2)
        try Fixtures.write(os, to: folder.file("os.img"))
        try Fixtures.write(data, to: folder.file("data.img"))
        let config = Self.configuration()
        let slots = Mutex<[VMDiskSlot]>([])
        var options = BackupOptions()
        options.progress = { progress in
            if let disk = progress.currentDisk { slots.withLock { $0.append(disk) } }
        }
        let full = try await repository.backupVM(
            disks: [
                VMDiskBackupInput(slot: .data(lun: 0), source: try FileDiskSource(path: folder.file("data.img"))),
                VMDiskBackupInput(slot: .os, source: try FileDiskSource(path: folder.file("os.img"))),
            ],
            configuration: config,
            options: options
        )
        #expect(full.restorePoint.disks.map(\.slot) == [.os, .data(lun: 0)])
        #expect(full.statistics.diskSize == Int64(os.count + data.count))
        #expect(full.statistics.disks == 2 && full.statistics.disksDone == 2)
        let reread = try await repository.restorePoint(full.restorePoint.id)
        #expect(reread.version == 2)
        #expect(reread.vm == config)
        #expect(reread.disks == full.restorePoint.disks)
        #expect(try await Self.restored(repository, reread.id, disk: .os, folder: folder) == os)
        #expect(try await Self.restored(repository, reread.id, disk: .data(lun: 0), folder: folder) == data)
        #expect(
            try await repository.read(reread.id, disk: .data(lun: 0), range: .init(offset: 10, length: 5))
                == data[10..<15]
        )

        // Guest writes on both disks: only the changed blocks of each are read.
        let osChange = ByteRange(offset: 70_000, length: 1000)
        let dataChange = ByteRange(offset: 800_000, length: 100)
        os.replaceSubrange(70_000..<71_000, with: Data(repeating: 7, count: 1000))
        data.replaceSubrange(800_000..<800_100, with: Data(repeating: 9, count: 100))
        try Fixtures.write(os, to: folder.file("os.img"))
        try Fixtures.write(data, to: folder.file("data.img"))
        let incremental = try await repository.backupVM(
            disks: [
                VMDiskBackupInput(
                    slot: .os,
                    source: try FileDiskSource(path: folder.file("os.img")),
                    changedRanges: [osChange]
                ),
                VMDiskBackupInput(
                    slot: .data(lun: 0),
                    source: try FileDiskSource(path: folder.file("data.img")),
                    changedRanges: [dataChange]
                ),
            ],
            configuration: config,
            options: BackupOptions(parent: full.restorePoint.id)
        )
        #expect(incremental.statistics.bytesRead <= 2 * 2 * 65_536)
        #expect(try await Self.restored(repository, incremental.restorePoint.id, disk: .os, folder: folder) == os)
        #expect(
            try await Self.restored(repository, incremental.restorePoint.id, disk: .data(lun: 0), folder: folder)
                == data
        )
    }

    @Test func aFullBackupReadsOnlyTheAllocatedRanges() async throws {
        let folder = try TemporaryFolder()
        let repository = try await Fixtures.repository(in: folder)
        let allocated = [
            ByteRange(offset: 1 << 30, length: 1 << 20), ByteRange(offset: 1 << 40 - (1 << 20), length: 1 << 20),
        ]
        let source = SparseSource(size: 1 << 40, allocated: allocated)
        let result = try await repository.backupVM(
            disks: [VMDiskBackupInput(slot: .os, source: source, allocatedRanges: allocated)],
            configuration: nil
        )
        #expect(result.statistics.bytesRead == 2 << 20)
        #expect(result.statistics.bytesToRead == 2 << 20)
        let window = ByteRange(offset: (1 << 30) - 8, length: 16)
        let bytes = try await repository.read(result.restorePoint.id, disk: .os, range: window)
        #expect(bytes == Data(count: 8) + Data(repeating: 0xA5, count: 8))
    }

    @Test func aRestoreWithoutADiskOfAMultiDiskPointNamesTheDisks() async throws {
        let folder = try TemporaryFolder()
        let repository = try await Fixtures.repository(in: folder)
        try Fixtures.write(Images.make(.text, size: 100_000), to: folder.file("a.img"))
        let point = try await repository.backupVM(
            disks: [
                VMDiskBackupInput(slot: .os, source: try FileDiskSource(path: folder.file("a.img"))),
                VMDiskBackupInput(slot: .data(lun: 3), source: try FileDiskSource(path: folder.file("a.img"))),
            ],
            configuration: nil
        ).restorePoint
        let error = await #expect(throws: RepositoryError.self) {
            try await repository.restore(point.id, toFile: folder.file("out.img"))
        }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.contains("os, 3") == true)
        #expect(!FileManager.default.fileExists(atPath: folder.file("out.img")))
    }

    @Test func badDiskListsAreRefusedBeforeAnythingIsWritten() async throws {
        let folder = try TemporaryFolder()
        let repository = try await Fixtures.repository(in: folder)
        try Fixtures.write(Images.make(.text, size: 10_000), to: folder.file("a.img"))
        let source = try FileDiskSource(path: folder.file("a.img"))
        for disks in [
            [], [VMDiskBackupInput(slot: .os, source: source), VMDiskBackupInput(slot: .os, source: source)],
        ] {
            await #expect(throws: RepositoryError.self) {
                try await repository.backupVM(disks: disks, configuration: nil)
            }
        }
        let error = await #expect(throws: RepositoryError.self) {
            try await repository.backupVM(
                disks: [VMDiskBackupInput(slot: .data(lun: 5), source: source)],
                configuration: Self.configuration()
            )
        }
        #expect(error?.message.contains("disk 5") == true)
        #expect(try await repository.listRestorePointIDs().isEmpty)
    }

    @Test func versionOnePointsAreReadAndUnknownVersionsAreRefused() async throws {
        let folder = try TemporaryFolder()
        let repository = try await Fixtures.repository(in: folder)
        let image = Images.make(.mixed, size: 300_000, seed: 4)
        try Fixtures.write(image, to: folder.file("a.img"))
        let made = try await repository.backup(source: FileDiskSource(path: folder.file("a.img"))).restorePoint
        // Rewrite it as an older engine wrote it: version 1, one disk at the top level, older statistics.
        try await repository.store.delete(made.id.objectKey)
        let root = try #require(made.root)
        let legacy = """
            {"version": 1, "id": "\(made.id.hex)", "created": "2026-11-24T21:30:00.125Z",
             "diskSize": \(image.count), "blockSize": \(made.blockSize), "treeFanout": \(made.treeFanout),
             "root": {"id": "\(root.id)", "rawLength": \(root.rawLength)}, "parent": null,
             "metadata": "e30=", "statistics": {"diskSize": \(image.count), "bytesRead": 5}}
            """
        _ = try await repository.putMetadata(made.id.objectKey, plaintext: Data(legacy.utf8), mode: .createOnly)
        let reread = try await repository.restorePoint(made.id)
        #expect(reread.version == 1 && reread.disks.count == 1 && reread.disks.first?.slot == .os)
        #expect(reread.diskSize == Int64(image.count) && reread.statistics.bytesRead == 5 && reread.vm == nil)
        #expect(try await Fixtures.restoreBytes(repository, made.id, folder: folder) == image)
        // Written again (as a copy would), it keeps its version-1 form.
        let json = try Repository.jsonEncoder().encode(reread)
        let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        #expect(object["version"] as? Int == 1 && object["diskSize"] as? Int == image.count)
        #expect(object["disks"] == nil)

        // A version from the future.
        let future = RestorePointID(unchecked: String(repeating: "e", count: 32))
        let text = #"{"version": 3, "id": "\#(future.hex)", "created": "2026-12-01T00:00:00Z"}"#
        _ = try await repository.putMetadata(future.objectKey, plaintext: Data(text.utf8), mode: .createOnly)
        let error = await #expect(throws: RepositoryError.self) { try await repository.restorePoint(future) }
        #expect(error?.code == .unsupportedVersion)
        #expect(error?.message.contains(future.objectKey) == true && error?.message.contains("upgrade") == true)
    }

    @Test func pruneKeepsEveryDiskAndVerifyChecksEveryDisk() async throws {
        let fixture = try await MaintenanceFixture.make()
        defer { fixture.remove() }
        let os = TestImages.random(1 << 20, seed: 11)
        let data = TestImages.random(1 << 20, seed: 12)
        let osPath = fixture.folder.url.appendingPathComponent("os.img").path
        let dataPath = fixture.folder.url.appendingPathComponent("data.img").path
        try os.write(to: URL(fileURLWithPath: osPath))
        try data.write(to: URL(fileURLWithPath: dataPath))
        let vm = try await fixture.repository.backupVM(
            disks: [
                VMDiskBackupInput(slot: .os, source: try FileDiskSource(path: osPath)),
                VMDiskBackupInput(slot: .data(lun: 1), source: try FileDiskSource(path: dataPath)),
            ],
            configuration: nil
        ).restorePoint.id
        let other = try await fixture.backup(TestImages.random(1 << 20, seed: 13))
        _ = try await fixture.repository.forget([other])
        _ = try await fixture.repository.prune(options: MaintenanceFixture.pruneOptions())
        let restored = fixture.folder.url.appendingPathComponent("restored.img").path
        try await fixture.repository.restore(vm, disk: .data(lun: 1), toFile: restored)
        #expect(try Data(contentsOf: URL(fileURLWithPath: restored)) == data)
        let report = try await fixture.repository.verify(.full)
        #expect(report.isHealthy)
        let statistics = try await fixture.repository.statistics()
        #expect(statistics.logicalBytes == 2 << 20)
    }
}

/// A disk that is zero except in `allocated`, where every byte is 0xA5; reading outside them fails.
struct SparseSource: DiskSource {
    let size: Int64
    let allocated: [ByteRange]

    func read(at offset: Int64, length: Int) async throws -> Data {
        guard allocated.contains(where: { $0.offset <= offset && offset + Int64(length) <= $0.end }) else {
            throw RepositoryError(.sourceFailure, "read \(offset)+\(length) outside the allocated ranges")
        }
        return Data(repeating: 0xA5, count: length)
    }
}

/// Listing VM restore points from the repository alone, and retention by VM.
@Suite struct VMCatalogTests {
    /// Backs up one small disk per VM configuration, at `created`.
    static func backup(
        _ repository: Repository,
        vm: VMConfiguration?,
        created: Date,
        folder: TemporaryFolder,
        seed: UInt64
    ) async throws -> RestorePointID {
        let path = folder.file("disk-\(seed).img")
        try Fixtures.write(Images.make(.text, size: 50_000, seed: seed), to: path)
        var options = BackupOptions()
        options.now = { created }
        return try await repository.backupVM(
            disks: [VMDiskBackupInput(slot: .os, source: try FileDiskSource(path: path))],
            configuration: vm,
            options: options
        ).restorePoint.id
    }

    @Test func aRescanListsEveryVMWithItsDisksAndReportsWhatItCannotRead() async throws {
        let folder = try TemporaryFolder()
        let repository = try await Fixtures.repository(in: folder)
        let web = VMRestorePointTests.configuration(name: "web-01", dataLUNs: [])
        let db = VMRestorePointTests.configuration(name: "db-01", dataLUNs: [])
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let a = try await Self.backup(repository, vm: web, created: start, folder: folder, seed: 1)
        let b = try await Self.backup(repository, vm: db, created: start + 60, folder: folder, seed: 2)
        let c = try await Self.backup(repository, vm: web, created: start + 120, folder: folder, seed: 3)
        let plain = try await Self.backup(repository, vm: nil, created: start + 180, folder: folder, seed: 4)
        let broken = RestorePointID(unchecked: String(repeating: "d", count: 32))
        try await repository.store.put(broken.objectKey, contents: Data("not sealed".utf8))

        let listing = try await repository.listVMRestorePoints()
        #expect(listing.restorePoints.map(\.id) == [a, b, c])
        #expect(listing.restorePoints.map(\.vm.name) == ["web-01", "db-01", "web-01"])
        #expect(listing.restorePoints.first?.vm.region == "westeurope")
        #expect(listing.restorePoints.allSatisfy { $0.disks.map(\.slot) == [.os] && $0.disks.first?.size == 50_000 })
        #expect(listing.otherRestorePoints == [plain])
        #expect(Set(listing.unreadable.keys) == [broken.objectKey])
        #expect(listing.byVM[web.resourceID]?.map(\.id) == [a, c])
    }

    @Test func keepingTwoPerVMWorksWithTwoVMsInterleaved() async throws {
        let folder = try TemporaryFolder()
        let repository = try await Fixtures.repository(in: folder)
        let web = VMRestorePointTests.configuration(name: "web-01", dataLUNs: [])
        var db = VMRestorePointTests.configuration(name: "db-01", dataLUNs: [])
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        var made: [(RestorePointID, String)] = []
        for step in 0..<8 {
            // The same VM's resource ID may come back in another case: still one VM.
            if step == 7 { db.resourceID = db.resourceID.uppercased() }
            let vm = step % 2 == 0 ? web : db
            let id = try await Self.backup(
                repository,
                vm: vm,
                created: start + Double(step) * 3600,
                folder: folder,
                seed: UInt64(step)
            )
            made.append((id, vm.name))
        }
        let result = try await repository.forget(policy: RetentionPolicy(keepLast: 2), now: start + 86_400)
        let kept = Set(try await repository.listRestorePointIDs())
        let expected = Set([made[4].0, made[6].0, made[5].0, made[7].0])
        #expect(kept == expected)
        #expect(result.removed.count == 4)
    }
}
