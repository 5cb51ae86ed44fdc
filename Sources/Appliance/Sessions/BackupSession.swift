import BackupRepository
import Foundation
import Logging
import WorkerProtocol

/// A backup session: one task per VM, recorded in the catalog, run through ``BackupTask``, with the session's
/// status rolled up from its tasks.
///
/// The VMs of one region run side by side up to the region's worker limit; regions run at once. Each task's
/// status, attempt, byte counts and restore point are written to the catalog as it goes. A session ends
/// `success` when every VM was backed up, `error` when none was, and `warning` in between, with a reason that
/// names each VM that failed and why; a stopped session ends `stopped`. Running a session again runs only its
/// unfinished tasks, or also its failed ones when asked (a retry): a VM already backed up is never backed up twice.
public struct BackupSession: Sendable {
    /// The catalog the session and its tasks are in.
    public let catalog: Catalog
    /// Each VM's backup.
    public let task: BackupTask
    /// How many VMs of one region run at once (the region's worker limit).
    public var concurrencyPerRegion: Int
    let logger: Logger

    /// Sessions in `catalog`, each VM backed up by `task`.
    public init(catalog: Catalog, task: BackupTask, concurrencyPerRegion: Int = 1, logger: Logger) {
        self.catalog = catalog
        self.task = task
        self.concurrencyPerRegion = max(1, concurrencyPerRegion)
        self.logger = logger
    }

    /// Records a new running session of `policyID` with a pending task for each of `vms`.
    public func create(policyID: UUID? = nil, vms: [String], now: Date = Date()) async throws -> SessionRecord {
        guard !vms.isEmpty else { throw ApplianceError.invalidInput("a backup session needs at least one VM") }
        var session = SessionRecord(kind: .backup, policyID: policyID, started: now)
        session.counters.tasks = vms.count
        try await catalog.insert(session)
        try await catalog.insert(contentsOf: vms.map { TaskRecord(sessionID: session.id, vmResourceID: $0) })
        return session
    }

    /// Runs the session's tasks that have not finished (and, with `retryFailed`, those that failed), then records
    /// and returns the session's outcome.
    ///
    /// - Parameters:
    ///   - snapshotGroup: The resource group a VM's snapshots are kept in, given its resource ID.
    ///   - target: The repository.
    public func run(
        _ sessionID: UUID,
        snapshotGroup: @escaping @Sendable (String) -> String,
        target: BackupTask.Target,
        retryFailed: Bool = false
    ) async throws -> SessionRecord {
        guard var session = try await catalog.record(SessionRecord.self, key: sessionID) else {
            throw ApplianceError.notFound("there is no session \(sessionID)")
        }
        session.status = .running
        session.ended = nil
        try await catalog.update(session)
        let rerun: Set<TaskRecord.Status> =
            retryFailed ? [.pending, .running, .error, .stopped] : [.pending, .running]
        let due = try await catalog.tasks(session: sessionID).filter { rerun.contains($0.status) }
        // A VM's region comes from the inventory when it is known; unknown VMs share one queue.
        var byRegion: [String: [TaskRecord]] = [:]
        for record in due {
            let region = try await catalog.record(InventoryVMRecord.self, key: record.vmResourceID)?.region ?? ""
            byRegion[region, default: []].append(record)
        }
        let limit = concurrencyPerRegion
        await withTaskGroup(of: Void.self) { regions in
            for (_, records) in byRegion {
                regions.addTask {
                    await withTaskGroup(of: Void.self) { group in
                        var waiting = records[...]
                        for _ in 0..<min(limit, waiting.count) {
                            let next = waiting.removeFirst()
                            group.addTask {
                                await self.runTask(
                                    next,
                                    sessionID: sessionID,
                                    snapshotGroup: snapshotGroup,
                                    target: target
                                )
                            }
                        }
                        while await group.next() != nil, let next = waiting.popFirst() {
                            group.addTask {
                                await self.runTask(
                                    next,
                                    sessionID: sessionID,
                                    snapshotGroup: snapshotGroup,
                                    target: target
                                )
                            }
                        }
                    }
                }
            }
        }
        return try await JournaledTask.journal { try await self.finish(sessionID, stopped: Task.isCancelled) }
    }

    /// Runs one task and records how it ended; never throws (a task's failure is the task's status).
    private func runTask(
        _ start: TaskRecord,
        sessionID: UUID,
        snapshotGroup: @escaping @Sendable (String) -> String,
        target: BackupTask.Target
    ) async {
        var record = start
        // A task run before (stopped, failed, or left running by a killed appliance) runs as its next attempt.
        if record.status != .pending { record.attempt += 1 }
        record.status = .running
        record.started = Date()
        record.ended = nil
        record.reason = nil
        do {
            try await catalog.update(record)
            let parent = try await catalog.restorePoints(vm: record.vmResourceID, limit: 1).first.flatMap {
                previous -> (RestorePointID, String)? in
                guard let id = previous.restorePointID.flatMap(RestorePointID.init) else { return nil }
                return (id, previous.id.uuidString.lowercased())
            }
            let outcome = try await task.run(
                vmResourceID: record.vmResourceID,
                sessionID: sessionID,
                attempt: record.attempt,
                steps: JournaledTask(catalog: catalog, taskID: record.id),
                snapshotGroup: snapshotGroup(record.vmResourceID),
                target: target,
                parent: parent
            )
            record.status = .success
            record.restorePointID = outcome.restorePoint.hex
            record.bytesRead = outcome.statistics.bytesRead
            record.bytesProcessed = outcome.statistics.bytesProcessed
            record.bytesStored = outcome.statistics.bytesStored
            record.rate =
                outcome.statistics.seconds > 0 ? Double(outcome.statistics.bytesRead) / outcome.statistics.seconds : 0
        } catch {
            record.status = error is CancellationError || Task.isCancelled ? .stopped : .error
            record.reason = JournaledTask.reason(for: error, step: "backup")
            logger.warning(
                "Backup task ended without a restore point",
                metadata: ["vm": "\(record.vmResourceID)", "reason": "\(record.reason ?? "")"]
            )
        }
        record.ended = Date()
        let ended = record
        _ = try? await JournaledTask.journal { try await self.catalog.update(ended) }
    }

    /// Rolls the session's status and counters up from its tasks and records them.
    private func finish(_ sessionID: UUID, stopped: Bool) async throws -> SessionRecord {
        guard var session = try await catalog.record(SessionRecord.self, key: sessionID) else {
            throw ApplianceError.notFound("there is no session \(sessionID)")
        }
        let tasks = try await catalog.tasks(session: sessionID)
        let failed = tasks.filter { $0.status == .error || $0.status == .stopped }
        let succeeded = tasks.filter { $0.status == .success }
        session.counters = SessionCounters(
            tasks: tasks.count,
            succeeded: succeeded.count,
            warnings: tasks.filter { $0.status == .warning }.count,
            failed: failed.count,
            bytesRead: tasks.reduce(0) { $0 + $1.bytesRead },
            bytesStored: tasks.reduce(0) { $0 + $1.bytesStored }
        )
        if stopped || tasks.contains(where: { $0.status == .stopped }) {
            session.status = .stopped
        } else if failed.isEmpty {
            session.status = .success
        } else if succeeded.isEmpty {
            session.status = .error
        } else {
            session.status = .warning
        }
        session.reason =
            failed.isEmpty
            ? nil
            : "\(succeeded.count) of \(tasks.count) VMs backed up; "
                + failed.map { "\(Self.vmName($0.vmResourceID)): \($0.reason ?? "failed")" }.joined(separator: "; ")
        session.ended = Date()
        try await catalog.update(session)
        return session
    }

    static func vmName(_ resourceID: String) -> String {
        String(resourceID.split(separator: "/").last ?? Substring(resourceID))
    }
}
