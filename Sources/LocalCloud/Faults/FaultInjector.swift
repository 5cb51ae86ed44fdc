import Foundation
import HTTPTypes
import Synchronization

/// Applies ``FaultRules`` to requests: throttling, latency, dropped connections, lost answers and failed LROs.
///
/// The rules are read from `DIR/faults.json` at start and again whenever the file's modification time changes,
/// and can be replaced through ``replace(_:)`` (the admin endpoint does this and writes the file).
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
        let modified = (try? FileManager.default.attributesOfItem(atPath: file.path))?[.modificationDate] as? Date
        state = Mutex(State(rules: rules ?? FaultRules(), modified: modified))
    }

    /// The current rules.
    public var rules: FaultRules {
        reloadIfChanged()
        return state.withLock { $0.rules }
    }

    /// Replaces the rules and writes them to `DIR/faults.json`.
    public func replace(_ rules: FaultRules) throws {
        try AtomicFile.writeJSON(rules, to: file)
        let modified = (try? FileManager.default.attributesOfItem(atPath: file.path))?[.modificationDate] as? Date
        state.withLock { $0 = State(rules: rules, modified: modified) }
    }

    /// The action for a request, consuming one use of the matching rule; `nil` when no rule applies.
    public func action(service: String, account: String?, operation: String, method: String, path: String) -> Action? {
        reloadIfChanged()
        return state.withLock { state -> Action? in
            guard !state.rules.rules.isEmpty else { return nil }
            for index in state.rules.rules.indices {
                let rule = state.rules.rules[index]
                guard rule.kind != .failLRO, rule.kind != .delayLRO, rule.kind != .loseResponse || service != "arm",
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
                case .failLRO, .delayLRO:
                    return nil
                }
            }
            return nil
        }
    }

    /// What `failLRO` and `delayLRO` rules do to a long-running operation (consuming one use of each matching
    /// rule); `nil` when none matches.
    func lroFault(namespace: String, operation: String) -> LROFault? {
        reloadIfChanged()
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

    private func reloadIfChanged() {
        let modified = (try? FileManager.default.attributesOfItem(atPath: file.path))?[.modificationDate] as? Date
        let changed = state.withLock { $0.modified != modified }
        guard changed else { return }
        let rules = (try? AtomicFile.readJSON(FaultRules.self, from: file)) ?? nil
        state.withLock { $0 = State(rules: rules ?? FaultRules(), modified: modified) }
    }
}
