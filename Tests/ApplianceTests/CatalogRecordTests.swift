import BackupRepository
import Foundation
import Testing

@testable import Appliance

@Suite struct CatalogRecordTests {
    static let vmID = "/subscriptions/sub-1/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/web-1"
    static let key = try! MasterKey(bytes: [UInt8](repeating: 7, count: 32), path: "/keys/master.key")

    /// A repository and a policy that use it, inserted; every other record hangs off them.
    private func makePolicy(in catalog: Catalog) async throws -> (RepositoryRecord, PolicyRecord) {
        let repositoryID = UUID()
        let repository = RepositoryRecord(
            id: repositoryID,
            name: "primary",
            kind: .backup,
            containerURL: "https://acct.blob.core.windows.net/backups",
            prefix: "vms/",
            region: "westeurope",
            password: try SealedSecret(sealing: "pw", with: Self.key, for: .repositoryPassword(repositoryID)),
            created: CatalogTestTime.at(0)
        )
        try await catalog.insert(repository)
        let policy = PolicyRecord(
            name: "nightly",
            targets: PolicyTargets(
                include: [.vm(Self.vmID), .resourceGroup("/subscriptions/sub-1/resourceGroups/rg")],
                exclude: [.tag("backup", value: "no")]
            ),
            schedule: PolicySchedule(
                rules: [
                    .daily(at: [try TimeOfDay(hour: 1), try TimeOfDay(hour: 13)], on: [.mon, .tue, .wed, .thu, .fri])
                ]
            ),
            snapshotRetention: 4,
            backupRetention: BackupRetention(days: 14, weekly: 4, monthly: 12, yearly: 3),
            repositoryID: repositoryID,
            priority: 5,
            maxWorkersPerRegion: 3,
            created: CatalogTestTime.at(1)
        )
        try await catalog.insert(policy)
        return (repository, policy)
    }

    @Test func everyRecordReadsBackAsItWasWritten() async throws {
        let folder = try CatalogTestFolder()
        defer { folder.remove() }
        let catalog = try await folder.catalog()

        let accountID = UUID()
        let account = AccountRecord(
            id: accountID,
            name: "prod",
            kind: .azure,
            tenantID: "tenant-1",
            clientID: "client-1",
            clientSecret: try SealedSecret(sealing: "s3cret", with: Self.key, for: .accountClientSecret(accountID)),
            subscriptions: ["sub-1", "sub-2"],
            created: CatalogTestTime.at(0)
        )
        try await catalog.insert(account)
        #expect(try await catalog.record(AccountRecord.self, key: accountID) == account)

        let (repository, policy) = try await makePolicy(in: catalog)
        #expect(try await catalog.record(RepositoryRecord.self, key: repository.id) == repository)
        #expect(try await catalog.record(PolicyRecord.self, key: policy.id) == policy)
        let archiveID = UUID()
        let archive = RepositoryRecord(
            id: archiveID,
            name: "cold",
            kind: .archive,
            localPath: "/srv/archive",
            password: try SealedSecret(sealing: "pw2", with: Self.key, for: .repositoryPassword(archiveID)),
            linkedTo: repository.id,
            created: CatalogTestTime.at(2)
        )
        try await catalog.insert(archive)
        #expect(try await catalog.record(RepositoryRecord.self, key: archiveID) == archive)

        let vm = InventoryVMRecord(
            resourceID: Self.vmID,
            accountID: accountID,
            name: "web-1",
            subscriptionID: "sub-1",
            resourceGroup: "rg-app",
            region: "westeurope",
            size: "Standard_D2s_v5",
            osType: .linux,
            tags: ["env": "prod", "owner": "ops"],
            firstSeen: CatalogTestTime.at(3),
            lastSeen: CatalogTestTime.at(3)
        )
        let disks = [
            VMDiskRecord(
                vmResourceID: Self.vmID,
                slot: .data(lun: 2),
                diskID: "/d/data2",
                sizeBytes: 1 << 30,
                sku: "Premium_LRS"
            ),
            VMDiskRecord(
                vmResourceID: Self.vmID,
                slot: .os,
                diskID: "/d/os",
                sizeBytes: 30 << 30,
                sku: "StandardSSD_LRS"
            ),
        ]
        try await catalog.recordSeen(vm, disks: disks)
        #expect(try await catalog.record(InventoryVMRecord.self, key: Self.vmID) == vm)
        // Resource IDs compare case-insensitively, as ARM's do.
        #expect(try await catalog.record(InventoryVMRecord.self, key: Self.vmID.uppercased()) == vm)
        #expect(try await catalog.disks(vm: Self.vmID) == [disks[1], disks[0]])

        let session = SessionRecord(
            kind: .backup,
            policyID: policy.id,
            status: .warning,
            started: CatalogTestTime.at(10),
            ended: CatalogTestTime.at(70),
            reason: "1 VM had a warning",
            counters: SessionCounters(tasks: 1, warnings: 1, bytesRead: 1000, bytesStored: 400)
        )
        try await catalog.insert(session)
        #expect(try await catalog.record(SessionRecord.self, key: session.id) == session)

        let task = TaskRecord(
            sessionID: session.id,
            vmResourceID: Self.vmID,
            status: .warning,
            attempt: 2,
            bytesRead: 1000,
            bytesProcessed: 4000,
            bytesStored: 400,
            rate: 12.5,
            restorePointID: "rp-1",
            reason: "the data disk was read twice",
            started: CatalogTestTime.at(11),
            ended: CatalogTestTime.at(69)
        )
        try await catalog.insert(task)
        #expect(try await catalog.record(TaskRecord.self, key: task.id) == task)
        #expect(try await catalog.tasks(session: session.id) == [task])

        let workerID = "nimbus-worker-westeurope-0"
        let worker = WorkerRecord(
            id: workerID,
            region: "westeurope",
            vmResourceID:
                "/subscriptions/sub-1/resourceGroups/w/providers/Microsoft.Compute/virtualMachines/\(workerID)",
            state: .idle,
            queueNames: ["jobs-we-0", "replies"],
            workerKey: try SealedSecret(sealing: "wk", with: Self.key, for: .workerKey(workerID)),
            lastHeartbeat: CatalogTestTime.at(60),
            created: CatalogTestTime.at(5)
        )
        try await catalog.insert(worker)
        #expect(try await catalog.record(WorkerRecord.self, key: workerID) == worker)

        let snapshot = NativeSnapshotRecord(
            vmResourceID: Self.vmID,
            sessionID: session.id,
            created: CatalogTestTime.at(12),
            diskSnapshots: ["os": "/snapshots/a-os", "2": "/snapshots/a-2"]
        )
        try await catalog.insert(snapshot)
        #expect(try await catalog.record(NativeSnapshotRecord.self, key: snapshot.id) == snapshot)

        let token = APITokenRecord(name: "ci", role: .viewer, token: "abc", created: CatalogTestTime.at(0))
        try await catalog.insert(token)
        #expect(try await catalog.record(APITokenRecord.self, key: token.id) == token)
        #expect(token.tokenHash == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")

        let step = try await catalog.recordIntent(
            task: task.id,
            step: "snapshots",
            resources: ["os": "web-1-abc-os"],
            at: CatalogTestTime.at(13)
        )
        #expect(try await catalog.journal(task: task.id) == [step])
        let line = try await catalog.appendLog(
            task: task.id,
            level: .info,
            message: "started",
            at: CatalogTestTime.at(14)
        )
        #expect(line.id != nil)
        #expect(try await catalog.log(task: task.id) == [line])
    }

    @Test func updatesAreStoredAndConflictsAndMissingRowsAreClearErrors() async throws {
        let folder = try CatalogTestFolder()
        defer { folder.remove() }
        let catalog = try await folder.catalog()
        var (_, policy) = try await makePolicy(in: catalog)
        policy.enabled = false
        policy.schedule = PolicySchedule(
            rules: [.monthly(on: 1, at: try TimeOfDay(hour: 2)), .monthly(on: 15, at: try TimeOfDay(hour: 2))]
        )
        try await catalog.update(policy)
        #expect(try await catalog.record(PolicyRecord.self, key: policy.id) == policy)

        var twin = policy
        twin.id = UUID()
        await #expect {
            try await catalog.insert(twin)
        } throws: { error in
            guard let error = error as? ApplianceError, case .conflict(let message) = error else { return false }
            return message.contains("policies.name")
        }
        await #expect {
            try await catalog.update(twin)
        } throws: { error in
            guard let error = error as? ApplianceError, case .notFound(let message) = error else { return false }
            return message.contains("policies")
        }
        var none = policy
        none.id = UUID()
        none.name = "no snapshots"
        none.snapshotRetention = 0
        await #expect {
            try await catalog.insert(none)
        } throws: { error in
            guard let error = error as? ApplianceError, case .conflict(let message) = error else { return false }
            return message.contains("snapshotRetention")
        }
        #expect(try await catalog.all(PolicyRecord.self).count == 1)
        #expect(try await catalog.delete(PolicyRecord.self, key: policy.id))
        #expect(try await catalog.all(PolicyRecord.self).isEmpty)
    }

    @Test func aRefreshKeepsFirstSeenReplacesDisksAndMarksMissingVMsDeleted() async throws {
        let folder = try CatalogTestFolder()
        defer { folder.remove() }
        let catalog = try await folder.catalog()
        let account = AccountRecord(name: "lab", kind: .localcloud, endpointsFile: "/e.json", created: .now)
        try await catalog.insert(account)
        func vm(_ name: String, seen: Int) -> InventoryVMRecord {
            InventoryVMRecord(
                resourceID: "/subscriptions/s/resourceGroups/g/providers/Microsoft.Compute/virtualMachines/\(name)",
                accountID: account.id,
                name: name,
                subscriptionID: "s",
                resourceGroup: "g",
                region: "westeurope",
                size: "Standard_B2s",
                osType: .windows,
                firstSeen: CatalogTestTime.at(seen),
                lastSeen: CatalogTestTime.at(seen)
            )
        }
        let a = vm("a", seen: 0)
        try await catalog.recordSeen(
            a,
            disks: [VMDiskRecord(vmResourceID: a.resourceID, slot: .os, diskID: "1", sizeBytes: 1, sku: "x")]
        )
        try await catalog.recordSeen(vm("b", seen: 0), disks: [])
        try await catalog.recordSeen(
            vm("a", seen: 100),
            disks: [VMDiskRecord(vmResourceID: a.resourceID, slot: .data(lun: 0), diskID: "2", sizeBytes: 2, sku: "y")]
        )
        #expect(try await catalog.markDeleted(account: account.id, notSeenSince: CatalogTestTime.at(100)) == 1)

        let stored = try #require(try await catalog.record(InventoryVMRecord.self, key: a.resourceID))
        #expect(stored.firstSeen == CatalogTestTime.at(0))
        #expect(stored.lastSeen == CatalogTestTime.at(100))
        #expect(try await catalog.disks(vm: a.resourceID).map(\.diskID) == ["2"])
        #expect(try await catalog.vms().map(\.name) == ["a"])
        #expect(try await catalog.vms(includingDeleted: true).map(\.name) == ["a", "b"])
        let counts = try await catalog.counts()
        #expect(counts.accounts == 1)
        #expect(counts.vms == 1)
        #expect(counts.deletedVMs == 1)
        #expect(counts.sessions["running"] == 0)
    }

    @Test func perVMAndPerRegionQueriesReturnOnlyTheirRowsInOrder() async throws {
        let folder = try CatalogTestFolder()
        defer { folder.remove() }
        let catalog = try await folder.catalog()
        let other = "/subscriptions/s/resourceGroups/g/providers/Microsoft.Compute/virtualMachines/other"
        let session = SessionRecord(kind: .backup, started: CatalogTestTime.at(0))
        try await catalog.insert(session)
        var tasks: [TaskRecord] = []
        for index in 0..<4 {
            tasks.append(
                TaskRecord(
                    sessionID: session.id,
                    vmResourceID: index == 3 ? other : Self.vmID,
                    status: .success,
                    restorePointID: index == 2 ? nil : "rp-\(index)",
                    ended: CatalogTestTime.at(index * 10)
                )
            )
        }
        try await catalog.insert(contentsOf: tasks)
        #expect(try await catalog.restorePoints(vm: Self.vmID).map(\.restorePointID) == ["rp-1", "rp-0"])

        try await catalog.insert(contentsOf: [
            NativeSnapshotRecord(vmResourceID: Self.vmID, created: CatalogTestTime.at(1), diskSnapshots: ["os": "s1"]),
            NativeSnapshotRecord(vmResourceID: Self.vmID, created: CatalogTestTime.at(2), diskSnapshots: ["os": "s2"]),
            NativeSnapshotRecord(vmResourceID: other, created: CatalogTestTime.at(3), diskSnapshots: ["os": "s3"]),
        ])
        #expect(try await catalog.snapshots(vm: Self.vmID).map { $0.diskSnapshots["os"] } == ["s2", "s1"])

        let sealed = SealedSecret(base64: "AA==")
        let states: [(String, String, WorkerRecord.State)] = [
            ("w-0", "westeurope", .running), ("w-1", "westeurope", .idle), ("w-2", "westeurope", .deallocated),
            ("w-3", "northeurope", .idle),
        ]
        try await catalog.insert(
            contentsOf: states.map { id, region, state in
                WorkerRecord(
                    id: id,
                    region: region,
                    vmResourceID: "/vm/\(id)",
                    state: state,
                    queueNames: [],
                    workerKey: sealed,
                    created: CatalogTestTime.at(0)
                )
            }
        )
        #expect(try await catalog.workers(region: "westeurope").map(\.id) == ["w-0", "w-1", "w-2"])
        #expect(
            try await catalog.workers(region: "westeurope", states: [.idle, .deallocated]).map(\.id) == ["w-1", "w-2"]
        )
        #expect(try await catalog.workers(region: "northeurope", states: [.running]).isEmpty)
    }
}
