import Foundation

/// The outcome of applying a ``RetentionPolicy``: which restore points stay, why, and which go.
public struct RetentionPlan: Sendable, Hashable, Codable {
    /// A restore point that stays, with every reason that keeps it.
    public struct Kept: Sendable, Hashable, Codable {
        /// The restore point.
        public var candidate: RetentionCandidate
        /// Why it is kept; never empty.
        public var reasons: [RetentionReason]

        /// Creates an entry.
        public init(candidate: RetentionCandidate, reasons: [RetentionReason]) {
            self.candidate = candidate
            self.reasons = reasons
        }
    }

    /// The restore points kept, newest first within each group, groups in ascending order.
    public var kept: [Kept]
    /// The restore points to remove, newest first within each group, groups in ascending order.
    public var removed: [RetentionCandidate]

    /// Creates a plan.
    public init(kept: [Kept], removed: [RetentionCandidate]) {
        self.kept = kept
        self.removed = removed
    }

    /// The IDs of the restore points to remove.
    public var removedIDs: [String] { removed.map(\.id) }

    /// The IDs of the restore points kept.
    public var keptIDs: [String] { kept.map(\.candidate.id) }
}

/// Why a ``RetentionPolicy`` keeps a restore point.
public struct RetentionReason: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The rule that keeps the restore point: `last`, `hourly`, `daily`, `weekly`, `monthly`, `yearly`,
    /// `within`, `tag` or `not-selected` (outside the policy's tag filter).
    public var rule: String
    /// Detail: the rank for `last` (1 = newest), the period for calendar rules (`2026-11-24`,
    /// `2026-W48`), the duration for `within`, the tag for `tag`.
    public var detail: String

    /// Creates a reason.
    public init(rule: String, detail: String) {
        self.rule = rule
        self.detail = detail
    }

    public var description: String { detail.isEmpty ? rule : "\(rule) \(detail)" }
}
