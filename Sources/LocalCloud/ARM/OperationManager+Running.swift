import AzureKit
import Foundation
import HTTPTypes
import Logging

extension OperationManager {
    /// The error an operation ends with when LocalCloud restarted while it ran and nothing can finish it.
    static func interruptedError() -> ARMError {
        ARMError(
            .internalServerError,
            "InternalServerError",
            "The operation was interrupted because LocalCloud restarted while it ran; start it again."
        )
    }

    /// Finishes every operation that was still running when LocalCloud last stopped: through its resumer when it
    /// has one, otherwise by failing it with an `InternalServerError` that says so. Called once after start.
    func resumeInterrupted() async {
        let interrupted = withState { state in
            state.entries.values.filter {
                $0.operation.status == .inProgress && !state.running.contains($0.operation.id)
            }
            .map {
                (id: $0.operation.id, resume: $0.resume, resumer: $0.resume.flatMap { state.resumers[$0.kind] })
            }
        }
        for entry in interrupted {
            guard let resume = entry.resume, let resumer = entry.resumer else {
                logger.debug("Operation interrupted", metadata: ["operation.id": "\(entry.id)"])
                await finish(entry.id, .failure(Self.interruptedError()))
                continue
            }
            logger.debug(
                "Operation resumed",
                metadata: ["operation.id": "\(entry.id)", "operation.kind": "\(resume.kind)"]
            )
            let parameters = resume.parameters
            let onFailure = resumer.onFailure.map { handler in
                { @Sendable (error: ARMError) async in await handler(parameters, error) }
            }
            launch(entry.id, fault: nil, onFailure: onFailure) { try await resumer.work(parameters) }
        }
    }

    /// Runs the work of started operations, each as a child task, until ``stop()`` (or until cancelled); then
    /// cancels what still runs and returns once it has all returned.
    func run() async {
        await withDiscardingTaskGroup { group in
            for await work in launches {
                group.addTask { await work() }
            }
            group.cancelAll()
        }
    }

    /// Stops finishing operations: running ones are cancelled and stay `InProgress` on disk, to be resumed (or
    /// failed) by the next start; ``run()`` returns once their work has returned.
    func stop() {
        let waiting = withState { state in
            state.stopping = true
            let waiting = state.waiters.flatMap { id, waiters in
                waiters.values.map { ($0, state.entries[id]?.operation) }
            }
            state.waiters = [:]
            return waiting
        }
        launchSink.finish()
        for (continuation, operation) in waiting { continuation.resume(returning: operation) }
    }

    func launch(
        _ id: String,
        fault: LROFault?,
        onFailure: (@Sendable (ARMError) async -> Void)?,
        work: @escaping @Sendable () async throws -> AzureJSON?
    ) {
        let accepted = withState { state in
            guard state.entries[id]?.operation.status == .inProgress, !state.stopping else { return false }
            state.running.insert(id)
            return true
        }
        guard accepted else { return }
        let job: @Sendable () async -> Void = {
            var outcome: Result<AzureJSON?, ARMError>
            do {
                if let delay = fault?.delayMilliseconds { try await Task.sleep(for: .milliseconds(delay)) }
                if let injected = fault?.error { throw injected }
                outcome = .success(try await work())
            } catch let error as ARMError {
                outcome = .failure(error)
            } catch {
                outcome = .failure(
                    ARMError(.internalServerError, "InternalServerError", "The operation failed: \(error)")
                )
            }
            // Once stopping, the record stays InProgress on disk and the next start finishes it.
            guard !self.isStopping else {
                self.withState { _ = $0.running.remove(id) }
                return
            }
            if case .failure(let error) = outcome, let onFailure { await onFailure(error) }
            await self.finish(id, outcome)
        }
        if case .terminated = launchSink.yield(job) {
            withState { _ = $0.running.remove(id) }
        }
    }

    /// Records the outcome of operation `id`, wakes its waiters and persists it.
    func finish(_ id: String, _ outcome: Result<AzureJSON?, ARMError>) async {
        let record: OperationRecord? = withState { state in
            state.running.remove(id)
            guard var entry = state.entries[id] else { return nil }
            entry.operation.endTime = Date()
            switch outcome {
            case .success(let result):
                entry.operation.status = .succeeded
                entry.operation.result = result
            case .failure(let error):
                entry.operation.status = .failed
                entry.operation.error = error
            }
            state.entries[id] = entry
            return OperationRecord(entry.operation, resume: nil)
        }
        guard let record else { return }
        defer { wakeWaiters(of: id, with: operation(id)) }
        do {
            try await persist(record)
        } catch {
            logger.error(
                "Could not persist the outcome of a long-running operation; a restart would run it again",
                metadata: ["operation.id": "\(id)", "error": "\(error)"]
            )
        }
    }

    /// Writes `record` to `DIR/operations/ID.json`, on ``FileIO``.
    func persist(_ record: OperationRecord) async throws {
        let file = directory.appendingPathComponent("\(record.id).json")
        try await FileIO.run { try AtomicFile.writeJSON(record, to: file) }
    }
}
