import BackupRepository
import Foundation
import WorkerProtocol

/// Messages of every kind, with recognisable secrets inside their sealed fields.
enum Fixtures {
    static let workerID = "worker-westeurope-01"
    static let applianceID = "appliance-7f3a"
    static let jobID = "job-20261203-0001"
    static let key = WorkerKey.generate()
    static let sent = Date(timeIntervalSince1970: 1_796_300_000)
    static let deadline = sent.addingTimeInterval(3_600)

    static let snapshotSAS =
        "https://md-abc.blob.storage.azure.net/xyz/abcd?sv=2024-08-04&sr=b&si=s1&sig=SNAPSHOTSIGsecret0001"
    static let previousSAS =
        "https://md-abc.blob.storage.azure.net/xyz/abcd?sv=2024-08-04&sr=b&si=s0&sig=PREVIOUSSIGsecret0002"
    static let containerSAS = "sv=2024-08-04&sr=c&sp=racwdl&se=2026-12-04T00:00:00Z&sig=CONTAINERSIGsecret0003"
    static let accountKey = "QUNDT1VOVEtFWXNlY3JldDAwMDQ="
    static let password = "correct-horse-battery-secret0005"
    static let overflowSAS = "sv=2024-08-04&sr=b&sp=r&sig=OVERFLOWSIGsecret0006"

    /// Every secret the fixtures seal.
    static let secrets = [
        "SNAPSHOTSIGsecret0001", "PREVIOUSSIGsecret0002", "CONTAINERSIGsecret0003", accountKey, password,
        "OVERFLOWSIGsecret0006", "secret000",
    ]

    static var context: SealingContext { SealingContext(key: key, workerID: workerID, jobID: jobID) }

    static func envelope(_ body: MessageBody, attempt: Int = 1) -> Envelope {
        Envelope(
            jobID: jobID,
            sessionID: "session-42",
            taskID: "task-web-01",
            attempt: attempt,
            sent: sent,
            deadline: deadline,
            sender: body.kind.isReply ? .worker(workerID) : .appliance(applianceID),
            body: body
        )
    }

    static func repository(_ role: RepositoryRole, accountKeyed: Bool = false) throws -> RepositoryAccess {
        let credential: RepositoryCredential =
            accountKeyed
            ? .accountKey(account: "nimbusrepo", key: try context.seal(accountKey, as: .credential(role)))
            : .sas(try context.seal(containerSAS, as: .credential(role)))
        return RepositoryAccess(
            location: RepositoryLocation(
                blobEndpoint: URL(string: "https://nimbusrepo.blob.core.windows.net/")!,
                container: "backups",
                prefix: "vm/web-01/",
                credential: credential
            ),
            password: try context.seal(password, as: .password(role))
        )
    }

    static let vm = VMConfiguration(
        name: "web-01",
        resourceID: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/web-01",
        region: "westeurope",
        size: "Standard_D2s_v5",
        osType: .linux,
        networkInterfaces: [
            VMNetworkInterface(
                resourceID: "/subscriptions/s/nic/web-01-nic",
                subnetID: "/subscriptions/s/subnet/a",
                primary: true
            )
        ],
        tags: ["env": "prod"],
        disks: [
            VMDiskConfiguration(
                slot: .data(lun: 0),
                name: "web-01-data0",
                resourceID: "/d/data0",
                sizeBytes: 4 << 30,
                sku: "Premium_LRS"
            ),
            VMDiskConfiguration(
                slot: .os,
                name: "web-01-os",
                resourceID: "/d/os",
                sizeBytes: 30 << 30,
                sku: "Premium_LRS"
            ),
        ],
        snapshot: VMSnapshotReference(setID: "set-1", taken: sent)
    )

    static func backup() throws -> BackupJob {
        BackupJob(
            disks: [
                BackupDisk(
                    slot: .os,
                    sizeBytes: 30 << 30,
                    snapshot: try context.seal(snapshotSAS, as: .snapshot("os"))
                ),
                BackupDisk(
                    slot: .data(lun: 0),
                    sizeBytes: 4 << 30,
                    snapshot: try context.seal(snapshotSAS, as: .snapshot("0")),
                    previousSnapshot: try context.seal(previousSAS, as: .previousSnapshot("0"))
                ),
            ],
            repository: try repository(.repository),
            vm: vm,
            metadata: .object(["policy": .string("gold"), "retries": .integer(2)]),
            parent: RestorePointID("0123456789abcdef0123456789abcdef")
        )
    }

    /// One body of every kind.
    static func body(_ kind: MessageKind) throws -> MessageBody {
        let rp = RestorePointID("fedcba9876543210fedcba9876543210")!
        switch kind {
        case .backup:
            return .backup(try backup())
        case .archive:
            return .archive(
                ArchiveJob(
                    source: try repository(.source),
                    archive: try repository(.archive, accountKeyed: true),
                    restorePoints: [rp],
                    packSize: 512 << 20,
                    tier: .archive
                )
            )
        case .verify:
            return .verify(VerifyJob(repository: try repository(.repository), depth: .sampled(fraction: 0.25)))
        case .maintenance:
            return .maintenance(
                MaintenanceJob(
                    repository: try repository(.repository, accountKeyed: true),
                    retention: RetentionPolicy(keepLast: 3, keepDaily: 7, keepTags: ["legal"]),
                    prune: true
                )
            )
        case .ping:
            return .ping(Ping())
        case .shutdown:
            return .shutdown(Shutdown(drain: false, reason: "session finished"))
        case .accepted:
            return .accepted(Accepted(dequeueCount: 2, workerVersion: "1.0.0"))
        case .progress:
            return .progress(
                Progress(
                    bytesTotal: 34 << 30,
                    bytesRead: 1 << 30,
                    bytesProcessed: 900 << 20,
                    bytesStored: 300 << 20,
                    bytesPerSecond: 180.5e6,
                    currentDisk: .data(lun: 0)
                )
            )
        case .stepDone:
            return .stepDone(
                StepDone(step: "disk", disk: .os, statistics: JobStatistics(bytesRead: 5, bytesStored: 3, seconds: 1.5))
            )
        case .result:
            var backup = BackupProgress()
            backup.bytesRead = 77
            backup.blocksNew = 3
            return .result(
                .success(
                    JobSuccess(
                        statistics: JobStatistics(
                            bytesRead: 77,
                            bytesProcessed: 77,
                            bytesStored: 40,
                            objectsWritten: 4,
                            seconds: 12
                        ),
                        restorePoint: rp,
                        disks: [DiskStatistics(slot: .os, backup: backup)]
                    )
                )
            )
        case .heartbeat:
            return .heartbeat(Heartbeat(runningJobs: [jobID], concurrency: 1, uptimeSeconds: 93.25))
        case .rejected:
            return .rejected(
                Rejected(
                    messageID: "m-1",
                    dequeueCount: 6,
                    cause: .tooManyDeliveries,
                    reason: "delivered 6 times",
                    poisonQueue: "jobs-worker-01-poison"
                )
            )
        case .overflow:
            return .overflow(
                OverflowPointer(
                    kind: .backup,
                    blobName: "a/b.json",
                    url: try context.seal(
                        "https://x.blob.core.windows.net/overflow/a/b.json?" + overflowSAS,
                        as: .overflowBlob
                    ),
                    length: 70_000,
                    sha256: String(repeating: "ab", count: 32)
                )
            )
        }
    }

    /// The JSON of a message's text.
    static func json(_ text: String) throws -> Data {
        guard let data = Data(base64Encoded: text) else { throw FixtureError.notBase64 }
        return data
    }

    /// JSON text with one member of the top-level object replaced or added.
    static func editing(_ text: String, _ edit: (inout [String: Any]) -> Void) throws -> String {
        guard var object = try JSONSerialization.jsonObject(with: json(text)) as? [String: Any] else {
            throw FixtureError.notObject
        }
        edit(&object)
        return try JSONSerialization.data(withJSONObject: object).base64EncodedString()
    }

    enum FixtureError: Error {
        case notBase64
        case notObject
    }
}
