/// Which policy backs up each VM when several cover it.
///
/// A VM covered by several enabled policies is backed up by one: the one with the highest priority, then (for
/// equal priorities) the one whose name sorts first. The others skip it and say which policy has it, so that a VM
/// is never backed up twice in one night and never silently left out.
public struct PolicyCoverage: Sendable, Hashable {
    /// A policy as the coverage rule sees it.
    public struct Candidate: Sendable, Hashable {
        /// The policy's ID.
        public var id: String
        /// Its name, the tie-breaker.
        public var name: String
        /// Higher wins.
        public var priority: Int
        /// A disabled policy covers nothing.
        public var enabled: Bool
        /// What it targets.
        public var targets: PolicyTargets

        /// A candidate.
        public init(id: String, name: String, priority: Int, enabled: Bool = true, targets: PolicyTargets) {
            self.id = id
            self.name = name
            self.priority = priority
            self.enabled = enabled
            self.targets = targets
        }
    }

    /// One VM and the policies that cover it.
    public struct Assignment: Sendable, Hashable {
        /// The VM.
        public var subject: PolicySubject
        /// The policy that backs it up.
        public var owner: String
        /// The other enabled policies that cover it, in rank order; they skip it.
        public var alsoCoveredBy: [String]
    }

    /// The assignment of every VM covered by at least one enabled policy, in the order of `subjects`.
    public static func assign(_ subjects: [PolicySubject], to policies: [Candidate]) -> [Assignment] {
        let ranked = policies.filter(\.enabled).sorted { left, right in
            left.priority != right.priority ? left.priority > right.priority : left.name < right.name
        }
        return subjects.compactMap { subject in
            let covering = ranked.filter { $0.targets.covers(subject) }.map(\.id)
            guard let owner = covering.first else { return nil }
            return Assignment(subject: subject, owner: owner, alsoCoveredBy: Array(covering.dropFirst()))
        }
    }

    /// The VMs policy `policyID` backs up in a run, and those it covers but leaves to a higher-ranked policy.
    public static func plan(
        for policyID: String,
        subjects: [PolicySubject],
        policies: [Candidate]
    ) -> (backUp: [PolicySubject], leftTo: [(subject: PolicySubject, owner: String)]) {
        var backUp: [PolicySubject] = []
        var leftTo: [(subject: PolicySubject, owner: String)] = []
        for assignment in assign(subjects, to: policies) {
            if assignment.owner == policyID {
                backUp.append(assignment.subject)
            } else if assignment.alsoCoveredBy.contains(policyID) {
                leftTo.append((assignment.subject, assignment.owner))
            }
        }
        return (backUp, leftTo)
    }
}
