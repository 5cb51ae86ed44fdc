import Foundation
import HTTPTypes
import Synchronization

/// Applies ``FaultRules`` to requests: throttling, latency, dropped connections, lost answers, slow page writes
/// and failed or delayed LROs.
///
/// The rules are read from `DIR/faults.json` at start and again whenever the file's modification time changes
/// (checked on ``FileIO`` when a request asks for its action), and can be replaced through ``replace(_:)`` (the
/// admin endpoint does this and writes the file).
public final class FaultInjector: Sendable {
    /// The effect chosen for one request.
    public enum Action: Sendable, Equatable {
        /// Answer with this status, error code and `Retry-After`.
        case throttle(status: Int, code: String, retryAfter: Int)
        /// Sleep, then continue normally.
        case delay(milliseconds: Int)
        /// Close the connection.
        case drop
        /// Handle the request, then close the connection instead of answering.
        case loseResponse
        /// Handle the request, writing its page data this much slower.
        case slowWrite(milliseconds: Int)
    }

    private struct State {
        var rules: FaultRules
        var modified: Date?
    }

    private let file: URL
    private let state: Mutex<State>

    init(file: URL) {
        self.file = file
        let rules = (try? AtomicFile.readJSON(FaultRules.self, from: file)) ?? nil
        let modified = Self.modificationDate(of: file)
        state = Mutex(State(rules: rules ?? FaultRules(), modified: modified))
    }

    /// The rules as last loaded or replaced (with the remaining uses of each).
    public var rules: FaultRules {
        state.withLock { $0.rules }
    }

    /// The current rules, after re-reading `DIR/faults.json` if it changed.
    public func currentRules() async -> FaultRules {
        await reloadIfChanged()
        return rules
    }

    /// Replaces the rules and writes them to `DIR/faults.json` (on ``FileIO``).
    public func replace(_ rules: FaultRules) async throws {
        let file = self.file
        let modified = try await FileIO.run {
            try AtomicFile.writeJSON(rules, to: file)
            return Self.modificationDate(of: file)
        }
        state.withLock { $0 = State(rules: rules, modified: modified) }
    }

    /// The action for a request, consuming one use of the matching rule; `nil` when no rule applies.
    public func action(
        service: String,
        account: String?,
        operation: String,
        method: String,
        path: String
    ) async -> Action? {
        await reloadIfChanged()
        return state.withLock { state -> Action? in
            guard !state.rules.rules.isEmpty else { return nil }
            for index in state.rules.rules.indices {
                let rule = state.rules.rules[index]
                guard rule.kind != .failLRO, rule.kind != .delayLRO,
                    rule.kind != .loseResponse && rule.kind != .slowWrite || service != "arm",
                    rule.matches(service: service, account: account, operation: operation, method: method, path: path),
                    consume(&state.rules.rules[index])
                else { continue }
                switch rule.kind {
                case .throttle:
                    let status = rule.status ?? (service == "arm" ? 429 : 503)
                    let code = rule.errorCode ?? (status == 429 ? "TooManyRequests" : "ServerBusy")
                    return .throttle(status: status, code: code, retryAfter: rule.retryAfter ?? 1)
                case .latency:
                    return .delay(milliseconds: rule.latencyMs ?? 100)
                case .drop:
                    return .drop
                case .loseResponse:
                    return .loseResponse
                case .slowWrite:
                    return .slowWrite(milliseconds: rule.latencyMs ?? 20)
                case .failLRO, .delayLRO:
                    return nil
                }
            }
            return nil
        }
    }

    /// What `failLRO` and `delayLRO` rules do to a long-running operation (consuming one use of each matching
    /// rule); `nil` when none matches.
    func lroFault(namespace: String, operation: String) async -> LROFault? {
        await reloadIfChanged()
        return state.withLock { state -> LROFault? in
            var fault = LROFault()
            for index in state.rules.rules.indices {
                let rule = state.rules.rules[index]
                guard rule.kind == .failLRO || rule.kind == .delayLRO,
                    rule.kind == .failLRO ? fault.error == nil : fault.delayMilliseconds == nil,
                    rule.matches(service: "arm", account: namespace, operation: operation, method: "", path: ""),
                    consume(&state.rules.rules[index])
                else { continue }
                if rule.kind == .delayLRO {
                    fault.delayMilliseconds = rule.latencyMs ?? 1000
                } else {
                    fault.error = ARMError(
                        .internalServerError,
                        rule.errorCode ?? "InternalServerError",
                        "The operation failed (injected fault \(rule.id ?? "failLRO"))."
                    )
                }
            }
            return fault.error == nil && fault.delayMilliseconds == nil ? nil : fault
        }
    }

    private func consume(_ rule: inout FaultRule) -> Bool {
        if let probability = rule.probability, Double.random(in: 0..<1) >= probability { return false }
        if let remaining = rule.remaining {
            guard remaining > 0 else { return false }
            rule.remaining = remaining - 1
        }
        return true
    }

    /// Re-reads the rules when the file's modification time changed; the file system is asked on ``FileIO``.
    private func reloadIfChanged() async {
        let file = self.file
        let known = state.withLock { $0.modified }
        let reloaded: State? =
            (try? await FileIO.run { () -> State? in
                let modified = Self.modificationDate(of: file)
                guard modified != known else { return nil }
                let rules = (try? AtomicFile.readJSON(FaultRules.self, from: file)) ?? nil
                return State(rules: rules ?? FaultRules(), modified: modified)
            }) ?? nil
        guard let reloaded else { return }
        state.withLock { $0 = reloaded }
    }

    /// The modification time of `file`, or `nil` when it does not exist. Blocks: call it on ``FileIO``.
    private static func modificationDate(of file: URL) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: file.path))?[.modificationDate] as? Date
    }
}
