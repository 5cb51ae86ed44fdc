import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Page-aligned memory for pack contents, reused from one pack to the next so that a backup does not map,
/// fault in and zero a fresh 32 MiB region for every pack it writes.
///
/// A finished pack is handed to the store as a `Data` that points into its buffer without copying
/// (see ``PackBuilder/finish(cipher:)``); the buffer comes back to the pool when the last copy of that `Data`
/// is released, typically right after the upload.
final class PackBufferPool: Sendable {
    /// The capacity of the buffers this pool hands out and keeps.
    let capacity: Int
    /// The most idle buffers kept; more are released.
    let maximumIdle: Int
    private let idle = Mutex<[PackBuffer]>([])

    /// A pool of buffers of `capacity` bytes.
    init(capacity: Int, maximumIdle: Int = 1) {
        self.capacity = capacity
        self.maximumIdle = maximumIdle
    }

    /// An idle buffer, or a new one.
    func take() -> PackBuffer {
        idle.withLock { $0.popLast() } ?? PackBuffer(capacity: capacity)
    }

    /// Returns a buffer that nobody uses any more; buffers of another capacity are released.
    func recycle(_ buffer: PackBuffer) {
        guard buffer.capacity == capacity else { return }
        idle.withLock { buffers in
            if buffers.count < maximumIdle { buffers.append(buffer) }
        }
    }

    /// The number of idle buffers (for tests).
    var idleCount: Int { idle.withLock { $0.count } }
}

/// One region of page-aligned memory, mapped directly from the system and unmapped when the last reference goes.
///
/// Mapping (rather than `malloc`) matters: freeing a `malloc` block of this size would raise the C library's
/// threshold for returning memory to the system to twice that size, so every thread's heap would then keep up
/// to that much freed memory resident.
///
/// `@unchecked Sendable`: the memory is written only by the ``PackBuilder`` that owns the buffer; once the
/// pack is finished it is only read (through the `Data` handed to the store) until it is recycled, and a
/// recycled buffer is handed to one builder at a time by its pool's mutex.
final class PackBuffer: @unchecked Sendable {
    let memory: UnsafeMutableRawBufferPointer

    init(capacity: Int) {
        let length = max(capacity, 1)
        guard
            let base = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
            base != MAP_FAILED
        else {
            fatalError("cannot map \(length) bytes for a pack: out of memory")
        }
        memory = UnsafeMutableRawBufferPointer(start: base, count: length)
    }

    var capacity: Int { memory.count }

    deinit {
        munmap(memory.baseAddress, memory.count)
    }
}

extension PackBufferPool {
    /// A buffer size that holds a full data pack of `config` without growing in the usual case: the target size,
    /// the block that crosses it, and room for the trailer (45 bytes per block, 256 KiB covers 5,800 blocks).
    static func capacity(for config: RepositoryConfig) -> Int {
        config.packTargetSize + config.blockSize + 256 * 1024
    }
}
