import Foundation
import Synchronization

@testable import BackupRepository

/// A store decorator that holds the `n`-th pack upload until the uploading task is cancelled, then fails it
/// with `CancellationError`: a backup cancelled with exactly `n − 1` packs stored. Everything else passes
/// through to the wrapped store.
final class PackGateStore: ObjectStore {
    private struct State {
        var packPuts = 0
        var held = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    let base: any ObjectStore
    let gate: Int
    private let state = Mutex(State())

    init(base: any ObjectStore, holdingPack gate: Int) {
        self.base = base
        self.gate = gate
    }

    var location: String { base.location }

    /// Returns once the gated upload is being held.
    func waitUntilHeld() async {
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { state in
                if state.held { return true }
                state.waiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    func put(_ key: String, contents: Data, mode: PutMode) async throws {
        let isGate =
            key.hasPrefix("packs/")
            && state.withLock { state in
                state.packPuts += 1
                return state.packPuts == gate
            }
        guard isGate else { return try await base.put(key, contents: contents, mode: mode) }
        let cancelled = AsyncStream<Void>.makeStream()
        try await withTaskCancellationHandler {
            let waiters = state.withLock { state in
                state.held = true
                defer { state.waiters.removeAll() }
                return state.waiters
            }
            for waiter in waiters { waiter.resume() }
            for await _ in cancelled.stream {}
            throw CancellationError()
        } onCancel: {
            cancelled.continuation.finish()
        }
    }

    func get(_ key: String, range: Range<Int64>?, maxBytes: Int) async throws -> Data {
        try await base.get(key, range: range, maxBytes: maxBytes)
    }
    func head(_ key: String) async throws -> ObjectInfo? { try await base.head(key) }
    func list(prefix: String, continuation: String?) async throws -> ObjectListPage {
        try await base.list(prefix: prefix, continuation: continuation)
    }
    func delete(_ key: String) async throws { try await base.delete(key) }
}
