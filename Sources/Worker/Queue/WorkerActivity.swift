import BackupRepository
import Foundation
import Synchronization

/// What the worker is doing: the jobs running now and how long it has been up, for heartbeats.
public final class WorkerActivity: Sendable {
    private let jobs = Mutex<[String: Int]>([:])
    private let started = ContinuousClock.now
    /// How many jobs the worker runs at once.
    public let concurrency: Int

    /// Creates the record of a worker running up to `concurrency` jobs at once.
    public init(concurrency: Int = 1) {
        self.concurrency = concurrency
    }

    /// The IDs of the jobs running now, sorted.
    public var runningJobs: [String] { jobs.withLock { $0.keys.sorted() } }

    /// Seconds since the worker started.
    public var uptimeSeconds: Double { (ContinuousClock.now - started).inSeconds }

    /// Runs `body` with `jobID` counted as running.
    public func running<T>(_ jobID: String, _ body: () async throws -> T) async rethrows -> T {
        jobs.withLock { $0[jobID, default: 0] += 1 }
        defer {
            jobs.withLock {
                let left = ($0[jobID] ?? 1) - 1
                $0[jobID] = left > 0 ? left : nil
            }
        }
        return try await body()
    }
}
