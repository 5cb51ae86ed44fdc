import AzureKit
import Foundation
import HTTPTypes
import Synchronization

/// A queue's stored state.
struct QueueRecord: Sendable, Codable {
    var name: String
    var metadata: [String: String]
    var created: Date
}

/// A message's stored state.
struct QueueMessageRecord: Sendable, Codable {
    var id: String
    var text: String
    var insertion: Date
    /// `nil` means it never expires (`messagettl=-1`).
    var expiration: Date?
    var nextVisible: Date
    var popReceipt: String?
    var dequeueCount: Int
    /// Insertion order within the queue.
    var sequence: Int64

    func isExpired(_ now: Date) -> Bool { expiration.map { $0 <= now } ?? false }
}

/// The queues and messages of one storage account, persisted under `DIR/storage/ACCOUNT/queue/`:
/// `NAME/queue.json` and `NAME/messages/ID.json`, each rewritten atomically on change.
final class QueueStore: Sendable {
    private struct State {
        var queues: [String: QueueRecord] = [:]
        var messages: [String: [String: QueueMessageRecord]] = [:]
        var sequence: Int64 = 0
        /// Counts changes, so that their durable writes (made outside the lock) land in the order they were made.
        var version: UInt64 = 0
        /// Durable writes a change under the lock asks for, made once the lock is released.
        var pending: [PendingWrite] = []

        mutating func persist(_ value: some Encodable, to url: URL) throws {
            version += 1
            pending.append(PendingWrite(data: try AtomicFile.encode(value), url: url, version: version))
        }

        mutating func remove(_ url: URL) {
            version += 1
            pending.append(PendingWrite(data: nil, url: url, version: version))
        }
    }

    private struct PendingWrite: Sendable {
        var data: Data?
        var url: URL
        var version: UInt64
    }

    private let root: URL
    private let state: Mutex<State>
    private let files = OrderedFileWriter()

    /// Runs `change` under the lock, then makes the durable writes it asked for (after releasing the lock, so no
    /// fsync runs under it). Every method that changes state goes through here; they block: call them on
    /// ``FileIO``.
    private func changing<T: Sendable>(_ change: (inout State) throws -> T) throws -> T {
        let (result, writes): (Result<T, any Error>, [PendingWrite]) = state.withLock { state in
            let result = Result { try change(&state) }
            defer { state.pending = [] }
            return (result, state.pending)
        }
        for write in writes { try files.write(write.data, to: write.url, version: write.version) }
        return try result.get()
    }

    init(root: URL) throws {
        self.root = root
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        var loaded = State()
        for name in (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? [] {
            let folder = root.appendingPathComponent(name)
            guard
                let queue = try AtomicFile.readJSON(QueueRecord.self, from: folder.appendingPathComponent("queue.json"))
            else { continue }
            loaded.queues[queue.name] = queue
            var messages: [String: QueueMessageRecord] = [:]
            let messagesURL = folder.appendingPathComponent("messages")
            for file in (try? FileManager.default.contentsOfDirectory(atPath: messagesURL.path)) ?? []
            where file.hasSuffix(".json") {
                if let message = try AtomicFile.readJSON(
                    QueueMessageRecord.self,
                    from: messagesURL.appendingPathComponent(file)
                ) {
                    messages[message.id] = message
                    loaded.sequence = max(loaded.sequence, message.sequence)
                }
            }
            loaded.messages[queue.name] = messages
        }
        state = Mutex(loaded)
    }

    func queue(_ name: String) -> QueueRecord? { state.withLock { $0.queues[name] } }

    func queues() -> [QueueRecord] { state.withLock { Array($0.queues.values) }.sorted { $0.name < $1.name } }

    /// Creates a queue; returns `nil` when created, or the existing record.
    func create(_ record: QueueRecord) throws -> QueueRecord? {
        try changing { state in
            if let existing = state.queues[record.name] { return existing }
            try state.persist(record, to: queueURL(record.name).appendingPathComponent("queue.json"))
            state.queues[record.name] = record
            state.messages[record.name] = [:]
            return nil
        }
    }

    func setMetadata(_ name: String, _ metadata: [String: String]) throws -> Bool {
        try changing { state in
            guard var record = state.queues[name] else { return false }
            record.metadata = metadata
            try state.persist(record, to: queueURL(name).appendingPathComponent("queue.json"))
            state.queues[name] = record
            return true
        }
    }

    func delete(_ name: String) -> Bool {
        let existed = state.withLock { state in
            state.messages.removeValue(forKey: name)
            return state.queues.removeValue(forKey: name) != nil
        }
        if existed { try? FileManager.default.removeItem(at: queueURL(name)) }
        return existed
    }

    /// The number of messages not expired.
    func approximateCount(_ name: String, now: Date) -> Int {
        state.withLock { state in (state.messages[name] ?? [:]).values.filter { !$0.isExpired(now) }.count }
    }

    /// Adds a message, assigning its insertion order.
    func put(_ queue: String, _ message: QueueMessageRecord) throws -> QueueMessageRecord {
        try changing { state in
            guard state.queues[queue] != nil else { throw QueueStore.queueNotFound }
            var message = message
            state.sequence += 1
            message.sequence = state.sequence
            try state.persist(message, to: messageURL(queue, message.id))
            state.messages[queue, default: [:]][message.id] = message
            return message
        }
    }

    /// Applies `change` to the visible messages in order (at most `limit`), persisting those it returns true for.
    func dequeue(_ queue: String, limit: Int, now: Date, _ change: (inout QueueMessageRecord) -> Void) throws
        -> [QueueMessageRecord]
    {
        try changing { state in
            guard state.queues[queue] != nil else { throw QueueStore.queueNotFound }
            var messages = state.messages[queue] ?? [:]
            purgeExpired(queue, &messages, now: now, in: &state)
            let visible = messages.values.filter { $0.nextVisible <= now }.sorted { $0.sequence < $1.sequence }.prefix(
                limit
            )
            var result: [QueueMessageRecord] = []
            for var message in visible {
                change(&message)
                try state.persist(message, to: messageURL(queue, message.id))
                messages[message.id] = message
                result.append(message)
            }
            state.messages[queue] = messages
            return result
        }
    }

    /// The visible messages in order, unchanged.
    func peek(_ queue: String, limit: Int, now: Date) throws -> [QueueMessageRecord] {
        try state.withLock { state in
            guard state.queues[queue] != nil else { throw QueueStore.queueNotFound }
            return (state.messages[queue] ?? [:]).values.filter { !$0.isExpired(now) && $0.nextVisible <= now }
                .sorted { $0.sequence < $1.sequence }.prefix(limit).map { $0 }
        }
    }

    /// Changes the message `id` if `popReceipt` matches; throws `MessageNotFound` otherwise.
    func update(
        _ queue: String,
        id: String,
        popReceipt: String,
        now: Date,
        _ change: (inout QueueMessageRecord) -> Void
    ) throws -> QueueMessageRecord {
        try changing { state in
            guard state.queues[queue] != nil else { throw QueueStore.queueNotFound }
            guard var message = state.messages[queue]?[id], !message.isExpired(now), message.popReceipt == popReceipt
            else {
                throw QueueStore.messageNotFound
            }
            change(&message)
            try state.persist(message, to: messageURL(queue, id))
            state.messages[queue]?[id] = message
            return message
        }
    }

    func deleteMessage(_ queue: String, id: String, popReceipt: String, now: Date) throws {
        try changing { state in
            guard state.queues[queue] != nil else { throw QueueStore.queueNotFound }
            guard let message = state.messages[queue]?[id], !message.isExpired(now), message.popReceipt == popReceipt
            else {
                throw QueueStore.messageNotFound
            }
            state.messages[queue]?.removeValue(forKey: id)
            state.remove(messageURL(queue, id))
        }
    }

    func clear(_ queue: String) throws {
        try state.withLock { state in
            guard state.queues[queue] != nil else { throw QueueStore.queueNotFound }
            state.messages[queue] = [:]
            try? FileManager.default.removeItem(at: queueURL(queue).appendingPathComponent("messages"))
        }
    }

    private func purgeExpired(
        _ queue: String,
        _ messages: inout [String: QueueMessageRecord],
        now: Date,
        in state: inout State
    ) {
        for (id, message) in messages where message.isExpired(now) {
            messages.removeValue(forKey: id)
            state.remove(messageURL(queue, id))
        }
    }

    private func queueURL(_ name: String) -> URL { root.appendingPathComponent(name) }

    private func messageURL(_ queue: String, _ id: String) -> URL {
        queueURL(queue).appendingPathComponent("messages").appendingPathComponent("\(id).json")
    }

    static let queueNotFound = StorageError(.notFound, "QueueNotFound", "The specified queue does not exist.")
    static let messageNotFound = StorageError(.notFound, "MessageNotFound", "The specified message does not exist.")
}
