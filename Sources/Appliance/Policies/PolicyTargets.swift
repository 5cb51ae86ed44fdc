/// The VMs a policy protects: those any inclusion picks, minus those any exclusion picks (exclusions win).
public struct PolicyTargets: Sendable, Hashable, Codable {
    /// Rules that pick VMs.
    public var include: [TargetSelector]
    /// Rules that drop VMs, whatever the inclusions say.
    public var exclude: [TargetSelector]

    /// Targets from inclusions and exclusions.
    public init(include: [TargetSelector], exclude: [TargetSelector] = []) {
        self.include = include
        self.exclude = exclude
    }

    /// Checks every rule, and that at least one inclusion is given.
    public func validate() throws(ApplianceError) {
        guard !include.isEmpty else {
            throw .invalidInput(
                "a policy needs at least one target to include (a VM, resource group, subscription or tag)"
            )
        }
        for selector in include + exclude { try selector.validate() }
    }

    /// Whether the policy protects `subject`: picked by an inclusion, by no exclusion, and not deleted.
    public func covers(_ subject: PolicySubject) -> Bool {
        guard !subject.deleted, include.contains(where: { $0.matches(subject) }) else { return false }
        return !exclude.contains { $0.matches(subject) }
    }
}
