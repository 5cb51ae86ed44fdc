import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Makes a ``PageStore``'s catalog and layer files durable after its lock is released, in the order the changes
/// were decided.
///
/// A change decides its file steps under the store's lock and queues them there (``enqueue(_:)``), so the queue
/// holds them in the order of the changes. After releasing the lock the change calls ``complete(_:)``, which runs
/// every queued step in order (fsync included) under a lock of its own, and returns once its own steps ran. Page
/// writes, reads and other changes are not held up by the fsync: only another change's ``complete(_:)`` waits.
final class PageStoreFiles: Sendable {
    /// One file system step.
    enum Step: Sendable {
        /// Replace the file at the URL with the data, atomically and durably.
        case write(Data, URL)
        /// Create the file at the URL, empty, when it does not exist (an existing file is left as it is).
        case create(URL)
        /// Remove the file at the URL if it exists.
        case remove(URL)
    }

    private struct Queue {
        var batches: [(ticket: UInt64, steps: [Step])] = []
        var nextTicket: UInt64 = 0
        /// The last ticket whose steps ran.
        var done: UInt64 = 0
        var failures: [UInt64: LocalCloudError] = [:]
    }

    private let queue = Mutex(Queue())
    /// Held while steps run, so that they run one batch after the other.
    private let running = Mutex(())

    /// Queues `steps` and returns the ticket to pass to ``complete(_:)``. Call it under the lock that orders the
    /// changes.
    func enqueue(_ steps: [Step]) -> UInt64 {
        queue.withLock { queue in
            queue.nextTicket += 1
            queue.batches.append((queue.nextTicket, steps))
            return queue.nextTicket
        }
    }

    /// Runs the queued steps up to the batch of `ticket` (and any queued before it); throws what made that batch
    /// fail. Blocks in file writes and fsync: call it on ``FileIO``, without holding the store's lock.
    func complete(_ ticket: UInt64) throws {
        running.withLock { _ in
            while queue.withLock({ $0.done < ticket }) {
                let batches = queue.withLock { queue in
                    defer { queue.batches = [] }
                    return queue.batches
                }
                for batch in batches {
                    let failure = Self.run(batch.steps)
                    queue.withLock { queue in
                        queue.done = batch.ticket
                        if let failure { queue.failures[batch.ticket] = failure }
                    }
                }
            }
        }
        if let failure = queue.withLock({ $0.failures.removeValue(forKey: ticket) }) { throw failure }
    }

    /// Runs `steps` in order, stopping at the first that fails.
    private static func run(_ steps: [Step]) -> LocalCloudError? {
        for step in steps {
            switch step {
            case .write(let data, let url):
                do {
                    try AtomicFile.write(data, to: url)
                } catch let error as LocalCloudError {
                    return error
                } catch {
                    return LocalCloudError(.io, "Could not write \(url.path); check the data folder.", cause: error)
                }
            case .create(let url):
                let descriptor = open(url.path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
                guard descriptor >= 0 else {
                    return LocalCloudError(.io, "Could not create \(url.path) (errno \(errno)); check the data folder.")
                }
                close(descriptor)
            case .remove(let url):
                try? FileManager.default.removeItem(at: url)
            }
        }
        return nil
    }
}
