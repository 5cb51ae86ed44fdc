import NIOPosix
import Synchronization

/// The thread pool that runs the blocking file system calls of the engine and the CLI: reads of the disk being
/// backed up, writes of the restored image, and every call of ``LocalFolderStore``.
///
/// Swift's cooperative pool has one thread per core. A task blocked there in `pread`, `pwrite` or `fsync`
/// leaves a core idle while blocks wait to be compressed and sealed, and with enough of them every task of the
/// process stalls. Work is therefore handed to this pool, one hop per call site (a whole read, a whole object
/// write with its flushes), and the calling task suspends until it finishes. Calls beyond the pool's threads
/// wait in its queue without holding a cooperative thread.
public final class FileIOPool: Sendable {
    /// The number of threads of ``shared``: eight. That keeps the disk's queue full with a backup's reads and
    /// its concurrent pack writes (each ends with an `fsync`), while idle threads stay cheap.
    public static let sharedThreadCount = 8

    /// The process-wide pool, started on first use. The CLI shuts it down before it exits.
    public static let shared = FileIOPool(threadCount: sharedThreadCount)

    /// The number of threads.
    public let threadCount: Int
    private let pool: NIOThreadPool
    private let stopped = Atomic<Bool>(false)

    /// Starts a pool of `threadCount` threads (at least one).
    public init(threadCount: Int) {
        self.threadCount = max(1, threadCount)
        pool = NIOThreadPool(numberOfThreads: self.threadCount)
        pool.start()
    }

    /// Runs `body` on one of the pool's threads and returns its result.
    /// - Throws: what `body` throws; `CancellationError` when the task was cancelled before `body` started;
    ///   ``RepositoryError`` with ``RepositoryError/Code/io`` once the pool has been shut down.
    public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        do {
            return try await pool.runIfActive(body)
        } catch is NIOThreadPoolError.ThreadPoolInactive {
            throw Self.stoppedError
        } catch let error as CancellationError {
            // A stopped pool cancels the work it is given; only a cancelled task is told it was cancelled.
            if stopped.load(ordering: .acquiring) && !Task.isCancelled { throw Self.stoppedError }
            throw error
        }
    }

    private static var stoppedError: RepositoryError {
        RepositoryError(.io, "file I/O was requested after the I/O thread pool shut down; the process is exiting")
    }

    /// Lets queued work finish, then stops the threads. Later calls to ``run(_:)`` fail.
    public func shutdown() async throws {
        stopped.store(true, ordering: .releasing)
        try await pool.shutdownGracefully()
    }
}

/// A raw buffer handed to a ``FileIOPool`` thread while its owner awaits the result.
///
/// Unchecked: the buffer belongs to the suspended caller, which neither reads nor frees it until the pool's
/// closure has returned, so exactly one thread touches the memory at any time.
package struct PoolBuffer: @unchecked Sendable {
    /// The memory, writable.
    package let mutable: UnsafeMutableRawBufferPointer
    /// The memory, read-only.
    package var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(mutable) }

    /// Wraps a writable buffer.
    package init(_ buffer: UnsafeMutableRawBufferPointer) { mutable = buffer }

    /// Wraps a read-only buffer (the pool's closure only reads it).
    package init(_ buffer: UnsafeRawBufferPointer) { mutable = UnsafeMutableRawBufferPointer(mutating: buffer) }
}
