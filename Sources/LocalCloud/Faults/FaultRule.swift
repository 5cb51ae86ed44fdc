/// One fault-injection rule: which requests it matches and what it does to them.
///
/// Rules live in `DIR/faults.json` (`{"rules":[…]}`), which LocalCloud re-reads when it changes, or are set
/// through `PUT /_localcloud/faults`. All match fields are optional; an absent field matches everything.
public struct FaultRule: Sendable, Codable, Hashable {
    /// What a matching request suffers.
    public enum Kind: String, Sendable, Codable {
        /// Answer with `status` (429 or 503) and `Retry-After`, in the service's error shape.
        case throttle
        /// Wait `latencyMs` before handling the request normally.
        case latency
        /// Close the connection without answering.
        case drop
        /// Handle the request normally (a write is applied), then close the connection without answering, as
        /// when the answer is lost on the way back (blob and queue services only).
        case loseResponse
        /// Make the page data of a matching Put Page reach the disk `latencyMs` later (default 20), as on a slow
        /// disk: the write holds its place among the volume's writes and snapshots while it lasts, then is
        /// acknowledged normally (blob service only).
        case slowWrite
        /// Make a long-running ARM operation end as `Failed` (matches `operation` against the LRO's name).
        case failLRO
        /// Make a long-running ARM operation wait `latencyMs` before doing its work (it stays `InProgress`
        /// meanwhile; a restart of LocalCloud ends the wait).
        case delayLRO
    }

    /// A name for the rule, for the admin endpoint.
    public var id: String?
    /// `arm`, `blob`, `queue`, `identity` or `disk`.
    public var service: String?
    /// A storage account name (blob/queue) or an ARM namespace such as `Microsoft.Storage`.
    public var account: String?
    /// An operation name: for blob/queue Azure's names (`GetBlob`, `PutPage`, `GetPageRanges`, `PutMessage`,
    /// `GetMessages`, …); for ARM `METHOD type`, e.g. `PUT storageAccounts` or `POST beginGetAccess`.
    public var operation: String?
    /// The HTTP method.
    public var method: String?
    /// A prefix of the URL path.
    public var pathPrefix: String?
    /// What happens.
    public var kind: Kind
    /// The status for `throttle` (default 503; 429 for ARM).
    public var status: Int?
    /// The error code for `throttle` / `failLRO` (default `ServerBusy` / `TooManyRequests` / `InternalServerError`).
    public var errorCode: String?
    /// `Retry-After` seconds for `throttle` (default 1).
    public var retryAfter: Int?
    /// Added latency for `latency`, `slowWrite` and `delayLRO`, in milliseconds.
    public var latencyMs: Int?
    /// The chance (0…1) that a matching request is affected (default 1).
    public var probability: Double?
    /// How many more requests the rule affects; absent means unlimited.
    public var remaining: Int?

    /// Creates a rule.
    public init(kind: Kind, service: String? = nil, account: String? = nil, operation: String? = nil) {
        self.kind = kind
        self.service = service
        self.account = account
        self.operation = operation
    }

    func matches(service: String, account: String?, operation: String, method: String, path: String) -> Bool {
        if let expected = self.service, expected.lowercased() != service.lowercased() { return false }
        if let expected = self.account, expected.lowercased() != (account ?? "").lowercased() { return false }
        if let expected = self.operation, expected.lowercased() != operation.lowercased() { return false }
        if let expected = self.method, expected.uppercased() != method.uppercased() { return false }
        if let prefix = pathPrefix, !path.hasPrefix(prefix) { return false }
        return true
    }
}

/// The document in `DIR/faults.json`.
public struct FaultRules: Sendable, Codable, Hashable {
    /// The rules, tried in order; the first match applies.
    public var rules: [FaultRule]

    /// Creates a rule set.
    public init(rules: [FaultRule] = []) { self.rules = rules }
}
