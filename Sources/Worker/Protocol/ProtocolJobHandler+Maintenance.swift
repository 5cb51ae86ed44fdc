import BackupRepository
import Foundation
import Logging
import WorkerProtocol

extension ProtocolJobHandler {
    /// Forgets the restore points the job's retention policy does not keep (grouped by VM), then prunes when asked,
    /// and answers with the restore points removed and the space reclaimed. Running it again forgets nothing more
    /// and prunes what is left, so a redelivered job does no harm.
    func maintain(_ job: MaintenanceJob, envelope: Envelope, logger: Logger) async throws -> JobResult {
        let started = ContinuousClock.now
        let account = RepositoryOpener.account(of: job.repository.location)
        do {
            let context = SealingContext(key: key, workerID: workerID, envelope: envelope)
            let repository = try await opener.open(job.repository, role: .repository, context: context)
            let lockOptions = maintenance.lockOptions(holder: workerID)
            var pruneOptions = maintenance.prune
            pruneOptions.dryRun = false
            let plannedPrune = pruneOptions
            let now = maintenance.now
            let policy = job.retention
            let prune = job.prune
            let (forgotten, report): ([RestorePointID], PruneReport?) = try await withProgress(
                envelope,
                logger: logger,
                progress: {
                    Progress(bytesTotal: 0, bytesRead: 0, bytesProcessed: 0, bytesStored: 0, bytesPerSecond: 0)
                },
                {
                    let forget = try await repository.forget(
                        policy: policy,
                        now: now(),
                        grouping: .byVM(),
                        lockOptions: lockOptions,
                        logger: logger
                    )
                    let forgotten = forget.removed.compactMap { RestorePointID($0) }
                    logger.info("Restore points forgotten", metadata: ["count": .stringConvertible(forgotten.count)])
                    try? await self.send(envelope, .stepDone(StepDone(step: "forget")))
                    guard prune else { return (forgotten, nil) }
                    let report = try await repository.prune(
                        options: plannedPrune,
                        lockOptions: lockOptions,
                        logger: logger
                    )
                    logger.info(
                        "Repository pruned",
                        metadata: [
                            "packs_deleted": .stringConvertible(report.packsDeleted),
                            "reclaimed_bytes": .stringConvertible(report.reclaimedBytes),
                        ]
                    )
                    try? await self.send(
                        envelope,
                        .stepDone(
                            StepDone(
                                step: "prune",
                                statistics: JobStatistics(
                                    bytesStored: report.bytesWritten,
                                    objectsWritten: report.packsWritten + report.indexObjectsWritten
                                )
                            )
                        )
                    )
                    return (forgotten, report)
                }
            )
            return .success(
                JobSuccess(
                    statistics: JobStatistics(
                        bytesStored: report?.bytesWritten ?? 0,
                        objectsWritten: (report?.packsWritten ?? 0) + (report?.indexObjectsWritten ?? 0),
                        seconds: (ContinuousClock.now - started).inSeconds
                    ),
                    forgotten: forgotten,
                    prune: report
                )
            )
        } catch {
            return try failure(error, account: account, job: "maintenance", logger: logger)
        }
    }
}
