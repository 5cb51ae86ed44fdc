import BackupRepository
import Foundation
import Testing

@testable import Appliance

@Suite struct PolicyTargetsTests {
    static func vm(_ subscription: String, _ group: String, _ name: String) -> String {
        "/subscriptions/\(subscription)/resourceGroups/\(group)/providers/Microsoft.Compute/virtualMachines/\(name)"
    }

    static let web = PolicySubject(resourceID: vm("sub-a", "rg-web", "web-01"), tags: ["Env": "prod", "tier": "web"])
    static let db = PolicySubject(resourceID: vm("sub-a", "rg-data", "db-01"), tags: ["env": "prod"])
    static let test = PolicySubject(resourceID: vm("sub-b", "rg-test", "test-01"), tags: ["env": "test"])
    static let gone = PolicySubject(resourceID: vm("sub-a", "rg-web", "web-02"), tags: ["env": "prod"], deleted: true)

    @Test func eachSelectorKindPicksItsVMsCaseInsensitively() {
        #expect(TargetSelector.vm(Self.web.resourceID.uppercased()).matches(Self.web))
        #expect(TargetSelector.resourceGroup("/subscriptions/SUB-A/resourceGroups/RG-WEB").matches(Self.web))
        #expect(!TargetSelector.resourceGroup("/subscriptions/sub-a/resourceGroups/rg-web").matches(Self.db))
        #expect(TargetSelector.subscription("sub-a").matches(Self.db))
        #expect(!TargetSelector.subscription("sub-a").matches(Self.test))
        // Tag names ignore case, values do not.
        #expect(TargetSelector.tag("env", value: "prod").matches(Self.web))
        #expect(!TargetSelector.tag("env", value: "Prod").matches(Self.web))
        #expect(TargetSelector.tag("TIER").matches(Self.web))
        #expect(!TargetSelector.tag("tier").matches(Self.db))
    }

    @Test func exclusionsWinAndDeletedVMsAreNeverCovered() throws {
        let targets = PolicyTargets(
            include: [.subscription("sub-a"), .tag("env")],
            exclude: [.tag("tier", value: "web")]
        )
        try targets.validate()
        #expect(!targets.covers(Self.web))
        #expect(targets.covers(Self.db))
        #expect(targets.covers(Self.test))
        #expect(!targets.covers(Self.gone))
    }

    @Test func badTargetsAreRefusedWithWhatToGive() {
        #expect(throws: ApplianceError.self) { try PolicyTargets(include: []).validate() }
        #expect(throws: ApplianceError.self) { try PolicyTargets(include: [.vm("web-01")]).validate() }
        #expect(throws: ApplianceError.self) { try PolicyTargets(include: [.resourceGroup("rg-web")]).validate() }
        #expect(throws: ApplianceError.self) { try PolicyTargets(include: [.tag("")]).validate() }
        do {
            try PolicyTargets(include: [.resourceGroup("rg-web")]).validate()
        } catch {
            #expect(error.description.contains("/subscriptions/SUB/resourceGroups/GROUP"))
        }
    }

    @Test func aVMCoveredByTwoPoliciesIsBackedUpByTheHigherPriorityOne() {
        let gold = PolicyCoverage.Candidate(
            id: "p-gold",
            name: "gold",
            priority: 10,
            targets: .init(include: [.tag("env", value: "prod")])
        )
        let all = PolicyCoverage.Candidate(
            id: "p-all",
            name: "all",
            priority: 1,
            targets: .init(include: [.subscription("sub-a"), .subscription("sub-b")])
        )
        let off = PolicyCoverage.Candidate(id: "p-off", name: "off", priority: 99, enabled: false, targets: all.targets)
        let subjects = [Self.web, Self.db, Self.test, Self.gone]
        let assignments = PolicyCoverage.assign(subjects, to: [all, gold, off])
        #expect(assignments.map(\.owner) == ["p-gold", "p-gold", "p-all"])
        #expect(assignments[0].alsoCoveredBy == ["p-all"])
        let plan = PolicyCoverage.plan(for: "p-all", subjects: subjects, policies: [all, gold, off])
        #expect(plan.backUp == [Self.test])
        #expect(plan.leftTo.map(\.owner) == ["p-gold", "p-gold"])
        // Equal priorities: the name decides, the same way every time.
        let twin = PolicyCoverage.Candidate(id: "p-twin", name: "aaa", priority: 10, targets: gold.targets)
        #expect(PolicyCoverage.assign([Self.web], to: [gold, twin]).first?.owner == "p-twin")
    }

    @Test func backupRetentionBecomesTheEnginesPolicyAndKeepsTheNewest() throws {
        let retention = BackupRetention(days: 7, weekly: 4, monthly: 12, yearly: 3)
        try retention.validate()
        let policy = retention.repositoryPolicy()
        #expect(policy.keepWithin == TimeInterval(7 * 86_400))
        #expect(policy.keepLast == 1)
        #expect((policy.keepWeekly, policy.keepMonthly, policy.keepYearly) == (4, 12, 3))
        #expect(throws: ApplianceError.self) { try BackupRetention(days: 0).validate() }
        #expect(throws: ApplianceError.self) { try BackupRetention(days: 1, weekly: -1).validate() }
    }
}
