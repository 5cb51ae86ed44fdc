/// What ``Repository/forget(_:dryRun:lockOptions:logger:)`` or
/// ``Repository/forget(policy:now:grouping:dryRun:lockOptions:logger:)`` did; `Codable` for `--json`.
public struct ForgetResult: Sendable, Hashable, Codable {
    /// `true` when nothing was deleted.
    public var dryRun: Bool
    /// The retention decision with its reasons, when forgetting by policy.
    public var plan: RetentionPlan?
    /// The restore points removed (or that would be, in a dry run).
    public var removed: [String]

    /// Creates a result.
    public init(dryRun: Bool, plan: RetentionPlan?, removed: [String]) {
        self.dryRun = dryRun
        self.plan = plan
        self.removed = removed
    }
}
