import BackupRepository
import Foundation
import Logging
import ServiceLifecycle
import WorkerProtocol

/// Sends a `heartbeat` reply every ``interval``, idle or not, so that the appliance knows the worker is alive and
/// what it runs; a lost heartbeat is replaced by the next one. Stops on graceful shutdown.
public struct HeartbeatService: Service {
    /// The job ID of unsolicited heartbeats (their session and task are ``noSession``).
    public static let jobID = "heartbeat"
    /// The session and task ID of unsolicited heartbeats.
    public static let noSession = "none"

    private let workerID: String
    private let activity: WorkerActivity
    private let replies: ReplySender
    /// How often a heartbeat is sent.
    public let interval: Duration
    private let logger: Logger

    /// Creates the service for worker `workerID`; the first heartbeat goes out at once.
    public init(
        workerID: String,
        activity: WorkerActivity,
        replies: ReplySender,
        interval: Duration = .seconds(60),
        logger: Logger
    ) {
        self.workerID = workerID
        self.activity = activity
        self.replies = replies
        self.interval = interval
        self.logger = logger
    }

    /// The heartbeat envelope of `activity` now, from `workerID`.
    public static func envelope(workerID: String, activity: WorkerActivity, interval: Duration) -> Envelope {
        let now = Date()
        return Envelope(
            jobID: jobID,
            sessionID: noSession,
            taskID: noSession,
            attempt: 0,
            sent: now,
            deadline: now.addingTimeInterval(max(interval.inSeconds * 2, 1)),
            sender: .worker(workerID),
            body: .heartbeat(
                Heartbeat(
                    runningJobs: activity.runningJobs,
                    concurrency: activity.concurrency,
                    uptimeSeconds: activity.uptimeSeconds
                )
            )
        )
    }

    public func run() async throws {
        let codec = EnvelopeCodec()
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do {
                let envelope = Self.envelope(workerID: workerID, activity: activity, interval: interval)
                try await replies.send(try codec.encode(envelope, overflow: nil).text)
            } catch {
                logger.info("Heartbeat not sent", metadata: ["error": .string("\(error)")])
            }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
        }
    }
}
