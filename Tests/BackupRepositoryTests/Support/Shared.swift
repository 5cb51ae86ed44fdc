import Synchronization

/// A value shared between concurrent test tasks.
final class Shared<Value: Sendable>: Sendable {
    private let storage: Mutex<Value>

    init(_ value: Value) { storage = Mutex(value) }

    var value: Value { storage.withLock { $0 } }

    @discardableResult
    func update<R: Sendable>(_ change: @Sendable (inout Value) -> R) -> R {
        storage.withLock { change(&$0) }
    }
}
