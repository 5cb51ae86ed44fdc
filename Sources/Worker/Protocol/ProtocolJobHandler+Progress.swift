import Foundation
import Logging
import WorkerProtocol

extension ProtocolJobHandler {
    /// Runs `body` while a `progress` reply for `envelope`, made by `progress`, goes out every
    /// ``progressInterval``.
    func withProgress<T: Sendable>(
        _ envelope: Envelope,
        logger: Logger,
        progress: @escaping @Sendable () -> WorkerProtocol.Progress,
        _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await withPeriodicReports(
            every: progressInterval,
            logger: logger,
            report: { try await self.send(envelope, .progress(progress())) },
            body
        )
    }

    /// A failure reply for `error`, met on the repository account `account`; a lost lease or a cancellation is
    /// thrown on instead, so that the queue loop stops the job.
    func failure(_ error: any Error, account: String, job: String, logger: Logger) throws -> JobResult {
        if error is CancellationError || error is LeaseLost { throw error }
        let failure = JobFailures.failure(error, account: account)
        logger.warning("Job failed", metadata: ["kind": .string(job), "reason": .string(failure.reason)])
        return .failure(failure)
    }
}
