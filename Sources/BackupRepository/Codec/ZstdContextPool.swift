import Synchronization

/// A pool of ``ZstdContext`` values so that contexts and scratch buffers are reused across blocks.
final class ZstdContextPool: Sendable {
    private let idle = Mutex<[ZstdContext]>([])
    let level: Int32

    init(level: Int32) {
        self.level = level
    }

    /// Runs `body` with a context reserved for it alone.
    func withContext<T>(_ body: (ZstdContext) throws -> T) rethrows -> T {
        let context = idle.withLock { $0.popLast() } ?? ZstdContext(level: level)
        defer { idle.withLock { $0.append(context) } }
        return try body(context)
    }
}
