import BackupRepository
import Foundation
import Logging
import Synchronization
import WorkerProtocol

extension ProtocolJobHandler {
    /// Copies the job's restore points, in order, from the backup repository into the archive repository (created
    /// linked to the source at the first copy), storing only the blocks the archive lacks. A restore point the
    /// archive already holds is left alone, so a redelivered job copies nothing and is answered again.
    func archive(_ job: ArchiveJob, envelope: Envelope, logger: Logger) async throws -> JobResult {
        let started = ContinuousClock.now
        let account = RepositoryOpener.account(of: job.archive.location)
        guard !job.restorePoints.isEmpty else {
            return .failure(
                JobFailure(
                    .permanent,
                    code: .invalidJob,
                    reason: "the archive job names no restore points; name at least one to copy"
                )
            )
        }
        guard job.packSize >= 1 << 20, job.packSize <= 4 << 30 else {
            return .failure(
                JobFailure(
                    .permanent,
                    code: .invalidJob,
                    reason: "the archive pack size \(job.packSize) is outside 1 MiB to 4 GiB; send 268435456 (256 MiB)"
                )
            )
        }
        do {
            let context = SealingContext(key: key, workerID: workerID, envelope: envelope)
            let source = try await opener.open(job.source, role: .source, context: context)
            let (archive, created) = try await opener.openOrCreateArchive(
                job.archive,
                linkedTo: source,
                packSize: job.packSize,
                archiveTier: job.tier == .archive,
                scrypt: maintenance.archiveScrypt,
                context: context
            )
            var options = CopyOptions()
            options.lock = maintenance.lockOptions(holder: workerID)
            let copyOptions = options
            let totals = Mutex(CopyReport())
            let points = job.restorePoints
            let archived = try await withProgress(
                envelope,
                logger: logger,
                progress: {
                    let now = totals.withLock { $0 }
                    let seconds = (ContinuousClock.now - started).inSeconds
                    return Progress(
                        bytesTotal: 0,
                        bytesRead: now.bytesRead,
                        bytesProcessed: now.bytesCopied,
                        bytesStored: now.bytesCopied,
                        bytesPerSecond: seconds > 0 ? Double(now.bytesCopied) / seconds : 0
                    )
                },
                {
                    var archived: [ArchivedRestorePoint] = []
                    for id in points {
                        let stepStarted = ContinuousClock.now
                        let report = try await source.copy(restorePoints: [id], to: archive, options: copyOptions)
                        totals.withLock { $0.add(report) }
                        archived.append(ArchivedRestorePoint(source: id, archive: id, bytesStored: report.bytesCopied))
                        try? await self.send(
                            envelope,
                            .stepDone(
                                StepDone(
                                    step: "copy",
                                    restorePoint: id,
                                    statistics: JobStatistics(
                                        bytesRead: report.bytesRead,
                                        bytesProcessed: report.bytesCopied,
                                        bytesStored: report.bytesCopied,
                                        objectsWritten: report.objectsWritten,
                                        seconds: (ContinuousClock.now - stepStarted).inSeconds
                                    )
                                )
                            )
                        )
                        logger.info(
                            "Restore point archived",
                            metadata: [
                                "restore_point": .string(id.hex), "blocks": .stringConvertible(report.blocksCopied),
                                "blocks_present": .stringConvertible(report.blocksPresent),
                                "bytes": .stringConvertible(report.bytesCopied),
                                "already_there": .stringConvertible(report.restorePointsCopied.isEmpty),
                            ]
                        )
                    }
                    return archived
                }
            )
            var report = totals.withLock { $0 }
            report.seconds = (ContinuousClock.now - started).inSeconds
            return .success(
                JobSuccess(
                    statistics: JobStatistics(
                        bytesRead: report.bytesRead,
                        bytesProcessed: report.bytesCopied,
                        bytesStored: report.bytesCopied,
                        objectsWritten: report.objectsWritten,
                        seconds: report.seconds
                    ),
                    answeredAgain: !created && report.restorePointsCopied.isEmpty,
                    archived: archived,
                    copy: report
                )
            )
        } catch {
            return try failure(error, account: account, job: "archive", logger: logger)
        }
    }
}

extension CopyReport {
    /// Objects the copy wrote: data and tree packs and index objects.
    var objectsWritten: Int { dataPacksWritten + treePacksWritten + indexObjectsWritten }

    /// Adds the totals of `other` (a copy of more restore points) to these.
    mutating func add(_ other: CopyReport) {
        restorePointsCopied += other.restorePointsCopied
        restorePointsPresent += other.restorePointsPresent
        blocksCopied += other.blocksCopied
        nodesCopied += other.nodesCopied
        bytesCopied += other.bytesCopied
        blocksPresent += other.blocksPresent
        bytesRead += other.bytesRead
        dataPacksWritten += other.dataPacksWritten
        treePacksWritten += other.treePacksWritten
        packsArchived += other.packsArchived
        indexObjectsWritten += other.indexObjectsWritten
        passes += other.passes
    }
}
