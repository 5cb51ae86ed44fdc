import Foundation

extension RetentionPolicy {
    /// Decides which of `candidates` to keep and which to remove.
    ///
    /// Pure: the result depends only on the arguments. Within each group the candidates are
    /// ordered newest first in the repository's restore-point order (equal times by
    /// ``RetentionCandidate/rank``, then by ID, descending), then every rule picks its restore
    /// points independently and the reasons are collected.
    /// - Parameters:
    ///   - candidates: the restore points, in any order.
    ///   - now: the reference time for ``keepWithin``.
    /// - Returns: the plan; every candidate appears exactly once, either kept or removed.
    /// - Throws: ``RetentionError`` with code ``RetentionError/Code/emptyPolicy`` when the policy
    ///   has no rule, so that a mistake cannot remove every restore point.
    public func evaluate(_ candidates: [RetentionCandidate], now: Date) throws -> RetentionPlan {
        guard !isEmpty else {
            throw RetentionError(
                .emptyPolicy,
                message: "the retention policy has no rule and would remove every restore point; "
                    + "give at least one keep rule"
            )
        }
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = timeZone

        var kept: [RetentionPlan.Kept] = []
        var removed: [RetentionCandidate] = []
        let groups = Dictionary(grouping: candidates, by: \.group)
        for group in groups.keys.sorted() {
            let members = (groups[group] ?? []).sorted { $0.isNewer(than: $1) }
            let reasons = reasonsInGroup(members, calendar: calendar, now: now)
            for (index, member) in members.enumerated() {
                if reasons[index].isEmpty {
                    removed.append(member)
                } else {
                    kept.append(RetentionPlan.Kept(candidate: member, reasons: reasons[index]))
                }
            }
        }
        return RetentionPlan(kept: kept, removed: removed)
    }

    /// The reasons to keep each member of one group, index for index; `members` is newest first.
    private func reasonsInGroup(
        _ members: [RetentionCandidate],
        calendar: Calendar,
        now: Date
    ) -> [[RetentionReason]] {
        var reasons = [[RetentionReason]](repeating: [], count: members.count)
        var selected: [Int] = []
        for (index, member) in members.enumerated() {
            if onlyTagged.isSubset(of: member.tags) {
                selected.append(index)
            } else {
                reasons[index].append(RetentionReason(rule: "not-selected", detail: ""))
            }
        }

        for (rank, index) in selected.prefix(max(0, keepLast)).enumerated() {
            reasons[index].append(RetentionReason(rule: "last", detail: String(rank + 1)))
        }
        for period in RetentionPeriod.allCases {
            var remaining = period.count(in: self)
            var previous: String?
            for index in selected where remaining > 0 {
                let label = period.label(of: members[index].time, in: calendar)
                if label != previous {
                    reasons[index].append(RetentionReason(rule: period.rawValue, detail: label))
                    previous = label
                    remaining -= 1
                }
            }
        }
        if let keepWithin, keepWithin >= 0 {
            let cutoff = now.addingTimeInterval(-keepWithin)
            for index in selected where members[index].time >= cutoff {
                reasons[index].append(RetentionReason(rule: "within", detail: Self.durationText(keepWithin)))
            }
        }
        for index in selected {
            for tag in members[index].tags.intersection(keepTags).sorted() {
                reasons[index].append(RetentionReason(rule: "tag", detail: tag))
            }
        }
        return reasons
    }

    /// A duration as `3d4h5m6s`, leaving out zero parts (`0s` for zero).
    static func durationText(_ seconds: TimeInterval) -> String {
        var rest = Int(seconds.rounded())
        var text = ""
        for (unit, size) in [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)] where rest >= size {
            text += "\(rest / size)\(unit)"
            rest %= size
        }
        return text.isEmpty ? "0s" : text
    }
}
