import AzureKit
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Synchronization

/// Long-running ARM operations: their status and results, and the `Azure-AsyncOperation` / `Location` headers
/// that point clients at them.
///
/// Status URLs are `/subscriptions/S/providers/NS/locations/L/operations/ID` (the `Azure-AsyncOperation`
/// document: `{"status":"InProgress"|"Succeeded"|"Failed",…}`) and `.../operationResults/ID` (the `Location`
/// poll: `202` while running, then the final status and result). Operations are persisted under
/// `DIR/operations/` and survive a restart (see ``OperationResume``).
public final class OperationManager: Sendable {
    /// The state of an operation.
    public enum Status: String, Sendable {
        /// Still running.
        case inProgress = "InProgress"
        /// Finished successfully.
        case succeeded = "Succeeded"
        /// Finished with an error.
        case failed = "Failed"
        /// Canceled.
        case canceled = "Canceled"
    }

    /// An operation's record.
    public struct Operation: Sendable {
        /// The operation ID (a GUID).
        public var id: String
        /// The subscription it runs in.
        public var subscriptionID: String
        /// The provider namespace in its URL.
        public var namespace: String
        /// The region in its URL.
        public var location: String
        /// Its state.
        public var status: Status
        /// When it started.
        public var startTime: Date
        /// When it ended.
        public var endTime: Date?
        /// The result returned by the `Location` poll (and in `properties.output` of the status document).
        public var result: AzureJSON?
        /// The error when failed.
        public var error: ARMError?
    }

    /// Which polling headers a response carries.
    public struct PollingHeaders: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        /// `Azure-AsyncOperation`.
        public static let asyncOperation = PollingHeaders(rawValue: 1)
        /// `Location`.
        public static let location = PollingHeaders(rawValue: 2)
        /// Both.
        public static let both: PollingHeaders = [.asyncOperation, .location]
    }

    struct Entry: Sendable {
        var operation: Operation
        var resume: OperationResume?
    }

    struct State: Sendable {
        var entries: [String: Entry] = [:]
        /// Operations whose work is running (or waiting to start) in ``run()``.
        var running: Set<String> = []
        var resumers: [String: OperationResumer] = [:]
        var stopping = false
        /// Tasks suspended in ``wait(_:)``, by operation and then by waiter.
        var waiters: [String: [UInt64: CheckedContinuation<Operation?, Never>]] = [:]
        /// The next waiter's number.
        var nextWaiter: UInt64 = 0
    }

    /// How long finished operations stay pollable (they are pruned when LocalCloud starts).
    static let retention: TimeInterval = 24 * 3600

    private let state: Mutex<State>
    let directory: URL
    let logger: Logger
    /// The `Retry-After` value (seconds) sent with accepted responses and running polls.
    public let retryAfterSeconds: Int
    private let faults: FaultInjector
    /// The work of started operations, run as child tasks of ``run()``.
    let launches: AsyncStream<@Sendable () async -> Void>
    let launchSink: AsyncStream<@Sendable () async -> Void>.Continuation

    /// Opens the operations persisted under `directory` (one `ID.json` each), dropping finished ones older than a
    /// day. Operations that were still running stay `InProgress` until ``resumeInterrupted()``.
    init(directory: URL, retryAfterSeconds: Int, faults: FaultInjector, logger: Logger) throws {
        self.directory = directory
        self.retryAfterSeconds = retryAfterSeconds
        self.faults = faults
        self.logger = logger
        (launches, launchSink) = AsyncStream.makeStream(of: (@Sendable () async -> Void).self)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var loaded = State()
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        let horizon = Date().addingTimeInterval(-Self.retention)
        for file in files where file.hasSuffix(".json") && !file.hasPrefix(".") {
            let url = directory.appendingPathComponent(file)
            guard let record = try AtomicFile.readJSON(OperationRecord.self, from: url) else { continue }
            if let endTime = record.endTime, endTime < horizon {
                try? FileManager.default.removeItem(at: url)
                continue
            }
            loaded.entries[record.id] = Entry(operation: record.operation, resume: record.resume)
        }
        state = Mutex(loaded)
    }

    /// Registers how operations started with an ``OperationResume`` of `kind` are finished after a restart.
    public func registerResumer(_ kind: String, _ resumer: OperationResumer) {
        state.withLock { $0.resumers[kind] = resumer }
    }

    /// Starts an operation that runs `work` in the background; its result (if any) becomes the final result.
    ///
    /// The operation is persisted before this returns, so a client polling it across a restart of LocalCloud gets
    /// its final result: with `resume`, the registered ``OperationResumer`` finishes it after the restart;
    /// without, it ends `Failed`.
    ///
    /// - Parameters:
    ///   - request: The request that started it (for subscription and namespace).
    ///   - location: The region in the status URL.
    ///   - faultOperation: The operation name fault rules match for failed or delayed LROs (e.g.
    ///     `PUT storageAccounts`).
    ///   - resume: How to finish the operation if LocalCloud stops before it ends.
    ///   - onFailure: Called when the operation fails (also by an injected fault), e.g. to set the resource's
    ///     `provisioningState` to `Failed`.
    ///   - work: The work; throwing ``ARMError`` makes the operation fail with that error.
    /// - Throws: `LocalCloudError` when the operation cannot be persisted.
    public func begin(
        _ request: ARMRequest,
        location: String,
        faultOperation: String? = nil,
        resume: OperationResume? = nil,
        onFailure: (@Sendable (ARMError) async -> Void)? = nil,
        work: @escaping @Sendable () async throws -> AzureJSON?
    ) async throws -> Operation {
        let operation = Operation(
            id: UUID().uuidString.lowercased(),
            subscriptionID: request.subscriptionID,
            namespace: request.namespace ?? "Microsoft.Resources",
            location: ARMRequest.normalizedLocation(location),
            status: .inProgress,
            startTime: Date(),
            endTime: nil,
            result: nil,
            error: nil
        )
        try await persist(OperationRecord(operation, resume: resume))
        state.withLock { $0.entries[operation.id] = Entry(operation: operation, resume: resume) }
        let fault = await faults.lroFault(namespace: operation.namespace, operation: faultOperation ?? "")
        launch(operation.id, fault: fault, onFailure: onFailure, work: work)
        return operation
    }

    /// Records a finished operation without running anything (for operations that complete synchronously but
    /// still answer with polling headers).
    /// - Throws: `LocalCloudError` when the operation cannot be persisted.
    public func completed(_ request: ARMRequest, location: String, result: AzureJSON?) async throws -> Operation {
        let now = Date()
        let operation = Operation(
            id: UUID().uuidString.lowercased(),
            subscriptionID: request.subscriptionID,
            namespace: request.namespace ?? "Microsoft.Resources",
            location: ARMRequest.normalizedLocation(location),
            status: .succeeded,
            startTime: now,
            endTime: now,
            result: result,
            error: nil
        )
        try await persist(OperationRecord(operation, resume: nil))
        state.withLock { $0.entries[operation.id] = Entry(operation: operation, resume: nil) }
        return operation
    }

    /// The operation with `id`, or `nil`.
    public func operation(_ id: String) -> Operation? {
        state.withLock { $0.entries[id.lowercased()]?.operation }
    }

    /// Waits until the operation finishes (for tests and internal chaining) and returns it; `nil` when there is
    /// no such operation.
    ///
    /// The waiter is suspended until the operation ends, without polling. When the waiting task is cancelled, or
    /// LocalCloud stops while the operation still runs, it returns the operation as it is then (`InProgress`).
    public func wait(_ id: String) async -> Operation? {
        let key = id.lowercased()
        let number = state.withLock { state in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Operation?, Never>) in
                let now: Operation?? = state.withLock { state in
                    guard let operation = state.entries[key]?.operation else { return .some(nil) }
                    guard operation.status == .inProgress, !state.stopping, !Task.isCancelled else {
                        return .some(operation)
                    }
                    state.waiters[key, default: [:]][number] = continuation
                    return .none
                }
                if let now { continuation.resume(returning: now) }
            }
        } onCancel: {
            let removed = state.withLock { state -> (CheckedContinuation<Operation?, Never>, Operation?)? in
                guard let continuation = state.waiters[key]?.removeValue(forKey: number) else { return nil }
                if state.waiters[key]?.isEmpty == true { state.waiters[key] = nil }
                return (continuation, state.entries[key]?.operation)
            }
            if let (continuation, operation) = removed { continuation.resume(returning: operation) }
        }
    }

    /// The number of tasks suspended in ``wait(_:)`` (for tests).
    var waiterCount: Int {
        state.withLock { $0.waiters.values.reduce(0) { $0 + $1.count } }
    }

    /// Wakes every task waiting for operation `id` with `operation` (call after its state changed for good).
    func wakeWaiters(of id: String, with operation: Operation?) {
        let waiting = state.withLock { $0.waiters.removeValue(forKey: id) } ?? [:]
        for continuation in waiting.values { continuation.resume(returning: operation) }
    }

    /// The `Azure-AsyncOperation` status URL.
    public func asyncOperationURL(_ operation: Operation, request: ARMRequest) -> String {
        "\(request.baseURL)/subscriptions/\(operation.subscriptionID)/providers/\(operation.namespace)/locations/\(operation.location)/operations/\(operation.id)?api-version=\(request.apiVersion)"
    }

    /// The `Location` poll URL.
    public func locationURL(_ operation: Operation, request: ARMRequest) -> String {
        "\(request.baseURL)/subscriptions/\(operation.subscriptionID)/providers/\(operation.namespace)/locations/\(operation.location)/operationResults/\(operation.id)?monitor=true&api-version=\(request.apiVersion)"
    }

    /// An "accepted" response for `operation`: `status` (usually 202, or 201/200 for PUTs that echo the resource),
    /// `body`, the chosen polling headers and `Retry-After`.
    public func accepted(
        _ operation: Operation,
        request: ARMRequest,
        status: HTTPResponse.Status = .accepted,
        body: AzureJSON? = nil,
        headers: PollingHeaders = .both
    ) -> ARMResponse {
        var fields: [String: String] = ["Retry-After": String(retryAfterSeconds)]
        if headers.contains(.asyncOperation) {
            fields["Azure-AsyncOperation"] = asyncOperationURL(operation, request: request)
        }
        if headers.contains(.location) { fields["Location"] = locationURL(operation, request: request) }
        return ARMResponse(status: status, headers: fields, body: body)
    }

    /// Answers a poll of the status document (`wantsResult` false) or of the `Location` URL (`wantsResult` true).
    func poll(_ id: String, wantsResult: Bool) -> ARMResponse? {
        guard let operation = operation(id) else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if wantsResult {
            switch operation.status {
            case .inProgress:
                return ARMResponse(status: .accepted, headers: ["Retry-After": String(retryAfterSeconds)])
            case .succeeded:
                if let result = operation.result { return .ok(result) }
                return ARMResponse(status: .ok)
            case .failed, .canceled:
                let error =
                    operation.error ?? ARMError(.internalServerError, "InternalServerError", "The operation failed.")
                return ARMResponse(status: error.status, body: error.body)
            }
        }
        var document: [String: AzureJSON] = [
            "id": .string(
                "/subscriptions/\(operation.subscriptionID)/providers/\(operation.namespace)/locations/\(operation.location)/operations/\(operation.id)"
            ),
            "name": .string(operation.id),
            "status": .string(operation.status.rawValue),
            "startTime": .string(formatter.string(from: operation.startTime)),
        ]
        if let endTime = operation.endTime { document["endTime"] = .string(formatter.string(from: endTime)) }
        if operation.status == .succeeded, let result = operation.result {
            document["properties"] = ["output": result]
        }
        if let error = operation.error, operation.status != .succeeded {
            document["error"] = ["code": .string(error.code), "message": .string(error.message)]
        }
        var headers: [String: String] = [:]
        if operation.status == .inProgress { headers["Retry-After"] = String(retryAfterSeconds) }
        return ARMResponse(status: .ok, headers: headers, body: .object(document))
    }

    /// Whether ``stop()`` was called.
    var isStopping: Bool { state.withLock { $0.stopping } }

    func withState<T: Sendable>(_ body: (inout State) -> T) -> T {
        state.withLock { body(&$0) }
    }
}
