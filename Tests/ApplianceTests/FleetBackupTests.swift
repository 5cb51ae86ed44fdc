import Appliance
import AzureBlobStore
import AzureKit
import BackupRepository
import Foundation
import LocalCloud
import LocalCloudTesting
import Logging
import Synchronization
import Testing
import WorkerProtocol

/// A real worker VM on LocalCloud, launched by the fleet, backing up a two-disk snapshot set through its queues.
@Suite struct FleetBackupTests {
    static let password = "fleet-pw"

    /// A repository in a Blob container of the private account, reached through its private endpoint.
    static func repository(_ fleet: FleetCloud) async throws -> (AzureBlobStore, Repository) {
        let store = AzureBlobStore(
            client: fleet.cloud.client,
            endpoint: fleet.network.storage.blobEndpoint,
            container: "backups",
            credential: fleet.account.credential,
            prefix: "vm1/",
            logger: TestCloud.quiet
        )
        try await store.createContainerIfNeeded()
        var options = Repository.CreateOptions()
        options.scrypt = .weakForTesting
        return (store, try await Repository.create(store: store, password: password, options: options))
    }

    /// Deterministic bytes for a disk image.
    static func image(length: Int, seed: UInt8) -> Data {
        var state = UInt32(seed) &* 2_654_435_761 | 1
        var bytes = [UInt8](repeating: 0, count: length)
        for index in bytes.indices {
            state ^= state << 13
            state ^= state >> 17
            state ^= state << 5
            bytes[index] = UInt8(truncatingIfNeeded: state)
        }
        return Data(bytes)
    }

    /// Where `path` differs from `image` followed by zeros up to `size`, or `nil` when it does not; read on the file
    /// I/O pool (the restored disks are 1 GiB each).
    static func difference(_ path: String, _ image: Data, size: Int64) async throws -> String? {
        try await FileIOPool.shared.run {
            guard let handle = FileHandle(forReadingAtPath: path) else { return "\(path) cannot be read" }
            defer { try? handle.close() }
            let length = try handle.seekToEnd()
            guard length == UInt64(size) else { return "\(path) is \(length) bytes, not \(size)" }
            try handle.seek(toOffset: 0)
            guard try handle.read(upToCount: image.count) == image else { return "the image differs" }
            var offset = Int64(image.count)
            let zeros = Data(count: 16 << 20)
            while offset < size {
                let count = Int(min(Int64(zeros.count), size - offset))
                guard try handle.read(upToCount: count) == zeros.prefix(count) else { return "not zero at \(offset)" }
                offset += Int64(count)
            }
            return nil
        }
    }

    @Test func aLaunchedWorkerBacksUpTwoDisksThenIsDeallocatedAndReusedWithoutUpload() async throws {
        try await FleetCloud.with { fleet in
            let cloud = fleet.cloud
            let logger = TestCloud.quiet
            let clock = ManualClock()
            var settings = WorkerFleet.Settings()
            settings.maxWorkersPerRegion = 2
            let pool = WorkerFleet(bootstrap: fleet.bootstrap, settings: settings, logger: logger) { clock.now }

            // Two disks with known contents, snapshotted, with read SAS URLs.
            let guest = try cloud.guest()
            let slots: [VMDiskSlot] = [.os, .data(lun: 0)]
            var images: [VMDiskSlot: Data] = [:]
            var snapshots: [VMDiskSlot: String] = [:]
            var diskIDs: [VMDiskSlot: String] = [:]
            for (index, slot) in slots.enumerated() {
                let name = "vm1-disk\(index)"
                let id = try await cloud.emptyDisk(name)
                let image = Self.image(length: (3 + 2 * index) << 20, seed: UInt8(index + 1))
                let file = cloud.folder.appending(path: "\(name).img")
                try image.write(to: file)
                _ = try await guest.importImage(disk: id, file: file)
                images[slot] = image
                diskIDs[slot] = id
                snapshots[slot] = try await cloud.snapshotSAS("snap-\(index)", of: id).url.absoluteString
            }
            let (store, _) = try await Self.repository(fleet)

            // Launch: a new VM, the files uploaded, the first heartbeat received.
            let worker = try await pool.acquire(network: fleet.network, totalDiskBytes: 2 << 30, logger: logger)
            #expect(worker.createdVM)
            #expect(worker.profile == .small)
            #expect(worker.files.count == 2 && worker.files.allSatisfy(\.uploaded))
            #expect(worker.heartbeat.concurrency >= 1)
            #expect(try await fleet.powerState(worker.vmName) == "running")
            let vm = try await cloud.arm.virtualMachine(
                resourceGroup: fleet.network.resourceGroup,
                name: worker.vmName,
                logger: logger
            )
            #expect(ApplianceTags.isOwned(vm?.tags, by: fleet.identity))
            #expect(vm?.tags?[ApplianceTags.role] == ApplianceTags.Role.worker.rawValue)

            // The backup job, its secrets sealed for this worker and job.
            let channel = fleet.bootstrap.channel(to: worker)
            let job = JobIdentity(
                jobID: "job-fleet-1",
                sessionID: "session-1",
                taskID: "task-vm1",
                attempt: 1,
                deadline: Date().addingTimeInterval(1800)
            )
            let context = channel.sealing(job.jobID)
            let repositorySAS = BlobSASBuilder(
                container: "backups",
                permissions: .repository,
                expiresOn: Date().addingTimeInterval(7200)
            ).sign(with: fleet.account.credential)
            var disks: [BackupDisk] = []
            var configurations: [VMDiskConfiguration] = []
            for slot in slots {
                disks.append(
                    BackupDisk(
                        slot: slot,
                        sizeBytes: 1 << 30,
                        snapshot: try context.seal(try #require(snapshots[slot]), as: .snapshot(slot))
                    )
                )
                configurations.append(
                    VMDiskConfiguration(
                        slot: slot,
                        name: "vm1-\(slot)",
                        resourceID: try #require(diskIDs[slot]),
                        sizeBytes: 1 << 30,
                        sku: "StandardSSD_LRS"
                    )
                )
            }
            let backup = BackupJob(
                disks: disks,
                repository: RepositoryAccess(
                    location: RepositoryLocation(
                        blobEndpoint: fleet.network.storage.blobEndpoint,
                        container: "backups",
                        prefix: "vm1/",
                        credential: .sas(try context.seal(repositorySAS.encoded, as: .credential(.repository)))
                    ),
                    password: try context.seal(Self.password, as: .password(.repository))
                ),
                vm: VMConfiguration(
                    name: "vm1",
                    resourceID: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1",
                    region: cloud.region,
                    size: "Standard_D2s_v5",
                    osType: .linux,
                    disks: configurations
                )
            )
            let kinds = Mutex<[MessageKind]>([])
            let result = try await channel.run(.backup(backup), job: job, logger: logger) { reply in
                kinds.withLock { $0.append(reply.kind) }
            }
            for index in slots.indices { try await cloud.revoke("snap-\(index)") }
            guard case .success(let success) = result else {
                Issue.record("the backup failed: \(result)")
                return
            }
            let seen = kinds.withLock { $0 }
            #expect(seen.first == .accepted)
            #expect(seen.last == .result)
            #expect(!success.answeredAgain)
            let pointID = try #require(success.restorePoint)

            // Revoked: the snapshot SAS no longer reads.
            let osSnapshot = try AzureKit.SASURL(string: try #require(snapshots[.os]))
            let revoked = try BlobClient(client: cloud.client, sasURL: osSnapshot)
            let container = try #require(osSnapshot.container)
            let blob = try #require(osSnapshot.blob)
            await #expect(throws: AzureError.self) {
                _ = try await revoked.properties(container: container, blob: blob, logger: logger)
            }

            // The restore point is in the repository and restores byte for byte.
            let repository = try await Repository.open(store: store, password: Self.password)
            #expect(try await repository.listRestorePointIDs().contains(pointID))
            for slot in slots {
                let path = cloud.folder.appending(path: "restored-\(slot).raw").path
                try await repository.restore(pointID, disk: slot, toFile: path)
                let difference = try await Self.difference(path, try #require(images[slot]), size: 1 << 30)
                #expect(difference == nil, "disk \(slot) restored wrong: \(difference ?? "")")
                try? FileManager.default.removeItem(atPath: path)
            }

            // Idle past the timeout: deallocated, and the daemon is gone.
            let pid = try #require(try await fleet.daemonPID(worker.vmName))
            #expect(isRunning(pid))
            await pool.release(worker)
            #expect(try await pool.deallocateIdle(logger: logger).isEmpty)
            clock.advance(by: 601)
            #expect(try await pool.deallocateIdle(logger: logger) == [worker.workerID])
            #expect(try await fleet.powerState(worker.vmName) == "deallocated")
            #expect(try await eventually { !isRunning(pid) }, "the worker daemon \(pid) still runs")
            #expect(await pool.states(region: cloud.region)[worker.index] == .deallocated)

            // The next job starts the same VM again; the files are already there.
            let again = try await pool.acquire(network: fleet.network, totalDiskBytes: 2 << 30, logger: logger)
            #expect(again.vmName == worker.vmName)
            #expect(!again.createdVM && again.startedVM)
            #expect(again.files.count == 2 && again.files.allSatisfy { !$0.uploaded })
            #expect(again.key != worker.key)
            #expect(try await fleet.powerState(again.vmName) == "running")
            try await pool.deallocate(again, logger: logger)
            #expect(try await fleet.powerState(again.vmName) == "deallocated")
        }
    }
}
