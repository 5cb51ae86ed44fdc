import BackupRepository
import Foundation
import Synchronization

/// An ``ObjectStore`` decorator that injects faults into chosen calls of another store: fail or delay the
/// N-th call of an operation (optionally only for keys under a prefix), make a write torn, or stop at a
/// named point.
///
/// Tests use it to prove how the engine behaves when storage misbehaves; the crash driver uses it to end the
/// process at a precise store call. Every call is forwarded to `base` unless a rule says otherwise.
public final class FaultyStore: ObjectStore {
    /// The store that holds the objects.
    public let base: any ObjectStore
    private let onStop: @Sendable (String) -> Void
    private let state: Mutex<State>

    private struct State {
        var rules: [FaultRule]
        var counts: [Int]
        var calls: [FaultRule.Operation: Int] = [:]
        var held: Set<String> = []
        var holdWaiters: [String: [CheckedContinuation<Void, Never>]] = [:]
    }

    /// Wraps `base`; `onStop` is called with the name of a `stopAfter`/`stopBefore` rule when it hits.
    public init(
        _ base: any ObjectStore,
        rules: [FaultRule] = [],
        onStop: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.base = base
        self.onStop = onStop
        state = Mutex(State(rules: rules, counts: Array(repeating: 0, count: rules.count)))
    }

    /// Adds a rule; its calls are counted from now on.
    public func add(_ rule: FaultRule) {
        state.withLock { state in
            state.rules.append(rule)
            state.counts.append(0)
        }
    }

    /// How many calls of `operation` reached this store so far (faulted or not).
    public func calls(_ operation: FaultRule.Operation) -> Int {
        state.withLock { $0.calls[operation] ?? 0 }
    }

    /// Returns once a call hit by a `holdUntilCancelled(name)` rule is being held.
    public func waitUntilHeld(_ name: String) async {
        await withCheckedContinuation { continuation in
            let now = state.withLock { state in
                if state.held.contains(name) { return true }
                state.holdWaiters[name, default: []].append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }

    public var location: String { base.location }

    public func put(_ key: String, contents: Data, mode: PutMode) async throws {
        try await perform(.put, key: key) {
            try await base.put(key, contents: contents, mode: mode)
        } truncated: { keeping in
            try await self.base.put(key, contents: contents.prefix(max(0, keeping)), mode: mode)
        }
    }

    public func get(_ key: String, range: Range<Int64>?, maxBytes: Int) async throws -> Data {
        try await perform(.get, key: key) { try await base.get(key, range: range, maxBytes: maxBytes) }
    }

    public func head(_ key: String) async throws -> ObjectInfo? {
        try await perform(.head, key: key) { try await base.head(key) }
    }

    public func list(prefix: String, continuation: String?) async throws -> ObjectListPage {
        try await perform(.list, key: prefix) { try await base.list(prefix: prefix, continuation: continuation) }
    }

    public func delete(_ key: String) async throws {
        try await perform(.delete, key: key) { try await base.delete(key) }
    }

    /// Counts the call and returns the effect of the first rule it hits, if any.
    private func effect(for operation: FaultRule.Operation, key: String) -> FaultRule.Effect? {
        state.withLock { state in
            state.calls[operation, default: 0] += 1
            var hit: FaultRule.Effect?
            for index in state.rules.indices {
                let rule = state.rules[index]
                guard rule.operation == operation, key.hasPrefix(rule.keyPrefix) else { continue }
                state.counts[index] += 1
                if hit == nil, state.counts[index] == rule.occurrence { hit = rule.effect }
            }
            return hit
        }
    }

    private func perform<T>(
        _ operation: FaultRule.Operation,
        key: String,
        _ call: () async throws -> T,
        truncated: ((Int) async throws -> Void)? = nil
    ) async throws -> T {
        guard let effect = effect(for: operation, key: key) else { return try await call() }
        switch effect {
        case .fail(let code):
            throw injected(code, operation, key: key, "before the store was called")
        case .failAfter(let code):
            _ = try await call()
            throw injected(code, operation, key: key, "after the store completed the call")
        case .delay(let duration):
            try await Task.sleep(for: duration)
            return try await call()
        case .truncate(let keeping):
            guard let truncated else { return try await call() }
            try await truncated(keeping)
            throw injected(.io, operation, key: key, "after storing only the first \(keeping) bytes")
        case .stopAfter(let name):
            let result = try await call()
            onStop(name)
            return result
        case .stopBefore(let name):
            onStop(name)
            return try await call()
        case .holdUntilCancelled(let name):
            try await hold(name)
            throw CancellationError()
        }
    }

    /// Marks `name` held, wakes its waiters, and waits for the calling task's cancellation.
    private func hold(_ name: String) async throws {
        let released = AsyncStream<Void>.makeStream()
        await withTaskCancellationHandler {
            let waiters = state.withLock { state in
                state.held.insert(name)
                return state.holdWaiters.removeValue(forKey: name) ?? []
            }
            for waiter in waiters { waiter.resume() }
            for await _ in released.stream {}
        } onCancel: {
            released.continuation.finish()
        }
    }

    private func injected(
        _ code: ObjectStoreError.Code,
        _ operation: FaultRule.Operation,
        key: String,
        _ when: String
    ) -> ObjectStoreError {
        ObjectStoreError(code, key: key, location: location, message: "injected fault in \(operation) \(when)")
    }
}
