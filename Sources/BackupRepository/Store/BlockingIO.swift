import Dispatch

/// Runs blocking system calls (large writes, `fsync`, reads that may wait for the disk) on a Dispatch thread
/// instead of a thread of Swift's cooperative pool, which has one thread per core: a task waiting for the disk
/// there would leave a core idle while blocks wait to be compressed and sealed.
enum BlockingIO {
    private static let queue = DispatchQueue(label: "nimbus.blocking-io", attributes: .concurrent)

    /// Runs `body` on the I/O queue and returns its result.
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try body() })
            }
        }
    }
}
