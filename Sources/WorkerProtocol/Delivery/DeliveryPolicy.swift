import BackupRepository
import Foundation

/// The at-least-once delivery rules, as pure decisions: the worker's queue loop and the appliance's
/// reply handler ask, and do what they are told.
///
/// Azure Queue delivers every message at least once: a message reappears when its visibility timeout
/// passes before the reader deletes it. So a worker holds a job by renewing its visibility (Update
/// Message) at half the timeout, stops the job when a renewal says the pop receipt is gone, moves a
/// message to the poison queue when it does not decode or has been delivered too often, and answers a
/// job already done without redoing it.
public struct DeliveryPolicy: Sendable, Hashable {
    /// A message delivered more times than this goes to the poison queue.
    public var maxDequeueCount: Int
    /// How long a received message stays invisible; renewed at half of it while the job runs.
    public var visibilityTimeout: Duration

    /// The default rules: 5 deliveries, 5-minute visibility renewed every 2.5 minutes.
    public init(maxDequeueCount: Int = 5, visibilityTimeout: Duration = .seconds(300)) {
        self.maxDequeueCount = maxDequeueCount
        self.visibilityTimeout = visibilityTimeout
    }

    /// How often to renew a held message's visibility: half the timeout.
    public var renewalInterval: Duration { visibilityTimeout / 2 }

    /// What to do with a received message.
    public enum Admission: Sendable, Hashable {
        /// Process it.
        case process(Envelope)
        /// Answer it with a permanent failure without running it: its deadline has passed.
        case expired(Envelope)
        /// Move it to the poison queue and report it with this rejection.
        case poison(Rejected.Cause, reason: String, header: EnvelopeHeader?)
    }

    /// Decides what to do with a message the queue delivered for the `dequeueCount`-th time, given how
    /// it decoded (``EnvelopeCodec/decode(text:)``).
    ///
    /// A message that does not decode goes to the poison queue at once: retrying cannot fix it. One that
    /// decodes is poisoned after ``maxDequeueCount`` deliveries (a job that kills its worker every time
    /// is not retried forever); a job past its deadline is answered as expired.
    public func admit(
        _ decoded: Result<Envelope, ProtocolError>,
        dequeueCount: Int,
        now: Date
    ) -> Admission {
        let envelope: Envelope
        switch decoded {
        case .failure(let error):
            return .poison(
                error.code == .unsupported ? .unsupported : .undecodable,
                reason: error.message,
                header: error.header
            )
        case .success(let value):
            envelope = value
        }
        guard dequeueCount <= maxDequeueCount else {
            return .poison(
                .tooManyDeliveries,
                reason:
                    "The \(envelope.kind) message of job \(envelope.jobID) was delivered \(dequeueCount) times; after \(maxDequeueCount) it is moved aside. Look at the worker's log for why each attempt ended before it answered.",
                header: envelope.header
            )
        }
        if envelope.kind.isJob, envelope.deadline <= now {
            return .expired(envelope)
        }
        return .process(envelope)
    }

    /// The failure to answer an expired job with.
    public func expiredFailure(_ envelope: Envelope, now: Date) -> JobFailure {
        JobFailure(
            .permanent,
            code: .deadlineExceeded,
            reason:
                "Job \(envelope.jobID) reached the worker after its deadline (\(envelope.deadline.formatted(.iso8601))); it was not started. Start the session again."
        )
    }

    /// What a failed visibility renewal means for the job holding the message.
    public enum RenewalOutcome: Sendable, Hashable {
        /// Keep going and try again at the next renewal (a network error or throttling, while time is left).
        case retry
        /// Stop the job now: the message is no longer held by this worker (another delivery may run it).
        case stopJob
    }

    /// Decides what a failed renewal means. The queue answers 404 (`MessageNotFound`) or 400
    /// (`PopReceiptMismatch`) when the pop receipt is no longer valid; anything else is retried while
    /// the message is still held (`heldUntil` in the future, minus a margin of a tenth of the timeout).
    public func renewalFailed(status: Int?, heldUntil: Date, now: Date) -> RenewalOutcome {
        if status == 404 || status == 400 { return .stopJob }
        let margin = Double(visibilityTimeout.components.seconds) / 10
        return heldUntil.timeIntervalSince(now) > margin ? .retry : .stopJob
    }

    /// Whether a reply still matters to the appliance, given the task's current attempt.
    public enum ReplyRelevance: Sendable, Hashable {
        /// From the current attempt: apply it.
        case current
        /// From an older attempt: ignore it (a late reply of a worker that lost the job).
        case stale
        /// From an attempt the appliance never made: ignore it and log it.
        case unknownAttempt
    }

    /// Sorts a reply by its attempt against the task's current attempt.
    public static func relevance(ofReplyAttempt attempt: Int, currentAttempt: Int) -> ReplyRelevance {
        if attempt == currentAttempt { return .current }
        return attempt < currentAttempt ? .stale : .unknownAttempt
    }

    /// The restore point a backup job already published, if a restore point among `existing` carries its
    /// ``JobMarker``: the job is then answered again with it instead of being run.
    public static func publishedRestorePoint<ID>(
        of jobID: String,
        among existing: some Sequence<(id: ID, metadata: JSONValue)>
    ) -> ID? {
        existing.first { JobMarker(metadata: $0.metadata)?.jobID == jobID }?.id
    }
}
