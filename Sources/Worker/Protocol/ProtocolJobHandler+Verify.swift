import BackupRepository
import Foundation
import Logging
import WorkerProtocol

extension ProtocolJobHandler {
    /// Checks the repository as deep as the job asks and answers with the engine's report. Problems found are not a
    /// failure of the job: the result is a success whose `verify` report names every damaged object (pack, index
    /// object or restore point) and the restore points it affects.
    func verify(_ job: VerifyJob, envelope: Envelope, logger: Logger) async throws -> JobResult {
        let started = ContinuousClock.now
        let account = RepositoryOpener.account(of: job.repository.location)
        do {
            let context = SealingContext(key: key, workerID: workerID, envelope: envelope)
            let repository = try await opener.open(job.repository, role: .repository, context: context)
            var mode = VerifyReport.Mode.full
            var sample: (@Sendable (PackID) -> Bool)?
            switch job.depth {
            case .quick:
                mode = .quick
            case .full:
                break
            case .sampled(let fraction):
                let sampler = PackSample(fraction: fraction, seed: envelope.jobID)
                sample = { sampler.contains($0) }
            }
            let plannedMode = mode
            let plannedSample = sample
            let lockOptions = maintenance.lockOptions(holder: workerID)
            let report = try await withProgress(
                envelope,
                logger: logger,
                progress: {
                    Progress(bytesTotal: 0, bytesRead: 0, bytesProcessed: 0, bytesStored: 0, bytesPerSecond: 0)
                },
                {
                    try await repository.verify(
                        plannedMode,
                        lockOptions: lockOptions,
                        packSample: plannedSample,
                        logger: logger
                    )
                }
            )
            let damaged = report.damagedRestorePoints
            let problems = report.repositoryProblems.map(\.object)
            if report.isHealthy {
                logger.info("Repository verified", metadata: ["depth": .string("\(job.depth)")])
            } else {
                logger.warning(
                    "Repository damaged",
                    metadata: [
                        "depth": .string("\(job.depth)"), "objects": .string(problems.joined(separator: ",")),
                        "restore_points": .string(damaged.joined(separator: ",")),
                    ]
                )
            }
            return .success(
                JobSuccess(
                    statistics: JobStatistics(
                        bytesRead: report.bytesRead,
                        bytesProcessed: report.bytesRead,
                        seconds: (ContinuousClock.now - started).inSeconds
                    ),
                    verify: report
                )
            )
        } catch {
            return try failure(error, account: account, job: "verify", logger: logger)
        }
    }
}

/// The packs a sampled verify reads: a fixed fraction chosen by a hash (FNV-1a) of the seed and each pack's ID, so that the same
/// job (its ID is the seed) always reads the same packs and different jobs read different ones.
struct PackSample: Sendable {
    /// The share of packs chosen, above 0 and at most 1.
    let fraction: Double
    /// What varies the choice between jobs.
    let seed: String

    /// Whether `pack` is in the sample.
    func contains(_ pack: PackID) -> Bool {
        guard fraction < 1 else { return true }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in (seed + "\u{0}" + pack.objectKey).utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0100_0000_01b3
        }
        return Double(hash) / 18_446_744_073_709_551_616.0 < fraction
    }
}
