import BackupRepository

/// One fault of a ``FaultyStore``: which call it hits and what happens to it.
///
/// Calls are counted per rule: the rule hits the `occurrence`-th call of `operation` whose key (or listing
/// prefix) starts with `keyPrefix`, and only that one.
public struct FaultRule: Sendable {
    /// The store operation a rule counts.
    public enum Operation: String, Sendable, CaseIterable {
        case put, get, head, list, delete
    }

    /// What happens to the call a rule hits.
    public enum Effect: Sendable {
        /// Throw an ``ObjectStoreError`` with this code instead of calling the store.
        case fail(ObjectStoreError.Code)
        /// Call the store, then throw an ``ObjectStoreError`` with this code: the operation took effect but
        /// its caller hears that it failed (a lost answer).
        case failAfter(ObjectStoreError.Code)
        /// Wait this long, then call the store.
        case delay(Duration)
        /// For `put`: store only the first `keeping` bytes, then throw an ``ObjectStoreError/Code/io`` error
        /// (a torn write by a store that is not atomic).
        case truncate(keeping: Int)
        /// Call the store, then the ``FaultyStore``'s stop handler with this name (a crash driver calls
        /// `_exit` there). If the handler returns, the call returns normally.
        case stopAfter(String)
        /// Call the stop handler with this name before the store.
        case stopBefore(String)
        /// Hold the call, without calling the store, until the calling task is cancelled, then throw
        /// `CancellationError` (an upload stuck until its operation is stopped). ``FaultyStore/waitUntilHeld(_:)``
        /// returns once a call is held under this name.
        case holdUntilCancelled(String)
    }

    /// The operation counted.
    public var operation: Operation
    /// Only calls whose key or listing prefix starts with this are counted (empty: all).
    public var keyPrefix: String
    /// Which matching call is hit, from 1.
    public var occurrence: Int
    /// What happens to it.
    public var effect: Effect

    /// A rule hitting the `occurrence`-th matching call of `operation`.
    public init(_ operation: Operation, keyPrefix: String = "", occurrence: Int = 1, effect: Effect) {
        self.operation = operation
        self.keyPrefix = keyPrefix
        self.occurrence = max(1, occurrence)
        self.effect = effect
    }
}

extension FaultRule {
    /// Reads a rule written as `<operation>:<key prefix>:<occurrence>` (e.g. `delete:packs/:3`), with the
    /// effect `stopAfter(text)`. Returns `nil` when the text is not of that form.
    public init?(stopAfter text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, let operation = Operation(rawValue: parts[0]), let occurrence = Int(parts[2]),
            occurrence >= 1
        else { return nil }
        self.init(operation, keyPrefix: parts[1], occurrence: occurrence, effect: .stopAfter(text))
    }
}
