import Synchronization

/// Reusable, equally sized read buffers for the backup pipeline, so that reading a block allocates nothing.
/// Buffers are handed out one task at a time through the mutex, and a buffer is only touched by the task
/// that took it until it gives it back.
final class BufferPool: Sendable {
    private let idle = Mutex<[Buffer]>([])
    let size: Int

    /// One buffer; its memory is released when the pool and every borrower drop it.
    final class Buffer: @unchecked Sendable {
        // Mutable memory owned by exactly one task at a time (see BufferPool.withBuffer).
        let memory: UnsafeMutableRawBufferPointer

        init(size: Int) {
            memory = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 64)
        }

        deinit {
            memory.deallocate()
        }
    }

    init(size: Int) {
        self.size = size
    }

    /// Runs `body` with a buffer reserved for it alone.
    func withBuffer<T>(_ body: (Buffer) async throws -> T) async rethrows -> T {
        let buffer = idle.withLock { $0.popLast() } ?? Buffer(size: size)
        defer { idle.withLock { $0.append(buffer) } }
        return try await body(buffer)
    }
}
