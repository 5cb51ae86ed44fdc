import Foundation
import Testing

@testable import BackupRepository

@Suite struct ForgetTests {
    @Test func forgettingByIDRemovesOnlyTheRestorePointObject() async throws {
        let fixture = try await MaintenanceFixture.make()
        defer { fixture.remove() }
        let a = try await fixture.backup(TestImages.random(64 << 10, seed: 51))
        let b = try await fixture.backup(TestImages.random(64 << 10, seed: 52))
        let before = try await fixture.objects()
        let result = try await fixture.repository.forget([a])
        #expect(result.removed == [a.hex] && !result.dryRun)
        var expected = before
        expected.removeValue(forKey: a.objectKey)
        #expect(try await fixture.objects() == expected)
        #expect(try await fixture.repository.listRestorePointIDs() == [b])
    }

    @Test func anUnknownIDForgetsNothing() async throws {
        let fixture = try await MaintenanceFixture.make()
        defer { fixture.remove() }
        let a = try await fixture.backup(TestImages.random(64 << 10, seed: 53))
        let unknown = try #require(RestorePointID(String(repeating: "0", count: 32)))
        let error = await #expect(throws: RepositoryError.self) {
            try await fixture.repository.forget([a, unknown])
        }
        #expect(error?.code == .restorePointNotFound && error?.objectKey == unknown.objectKey)
        #expect(try await fixture.repository.listRestorePointIDs() == [a])
    }

    @Test func aPolicyKeepsPerGroupWithReasonsAndADryRunDeletesNothing() async throws {
        let fixture = try await MaintenanceFixture.make()
        defer { fixture.remove() }
        var ids: [String: RestorePointID] = [:]
        let start = Date().addingTimeInterval(-3_600)
        for (step, (name, vm, tags)) in [
            ("vm1-old", "vm1", ["daily"]), ("vm2-old", "vm2", ["monthly"]), ("vm1-new", "vm1", ["daily"]),
            ("vm2-new", "vm2", ["daily"]),
        ].enumerated() {
            ids[name] = try await fixture.backup(
                TestImages.random(16 << 10, seed: UInt64(name.hashValue & 0xFFFF)),
                metadata: ["vm": vm, "disk": "os", "tags": tags],
                name: name,
                created: start.addingTimeInterval(Double(step) * 60)
            )
        }
        let policy = RetentionPolicy(keepLast: 1, keepTags: ["monthly"])
        let dry = try await fixture.repository.forget(policy: policy, now: Date(), dryRun: true)
        let plan = try #require(dry.plan)
        #expect(Set(dry.removed) == [ids["vm1-old"]?.hex])
        #expect(
            plan.kept.first { $0.candidate.id == ids["vm2-old"]?.hex }?.reasons.map(\.description) == ["tag monthly"]
        )
        #expect(plan.kept.first { $0.candidate.id == ids["vm1-new"]?.hex }?.candidate.group == "vm1/os")
        #expect(try await fixture.repository.listRestorePointIDs().count == 4)

        let real = try await fixture.repository.forget(policy: policy, now: Date())
        #expect(real.removed == dry.removed)
        #expect(
            Set(try await fixture.repository.listRestorePointIDs())
                == Set([ids["vm2-old"], ids["vm1-new"], ids["vm2-new"]].compactMap { $0 })
        )
    }

    @Test func forgetHoldsTheExclusiveLockSoAnyOtherHolderBlocksIt() async throws {
        let fixture = try await MaintenanceFixture.make()
        defer { fixture.remove() }
        let a = try await fixture.backup(TestImages.random(16 << 10, seed: 54))
        for (kind, purpose) in [(LockRecord.Kind.exclusive, "prune"), (.shared, "restore")] {
            var other = LockOptions()
            other.host = "other-host"
            let held = try await fixture.repository.locks(other).acquire(kind, purpose: purpose)
            let error = await #expect(throws: LockError.self) { try await fixture.repository.forget([a]) }
            #expect(error?.code == .locked && error?.holders.map(\.purpose) == [purpose])
            #expect(try await fixture.repository.listRestorePointIDs() == [a])
            // A dry run changes nothing and needs no lock.
            #expect(try await fixture.repository.forget([a], dryRun: true).removed == [a.hex])
            try await held.release()
        }
        _ = try await fixture.repository.forget([a])
        #expect(try await fixture.repository.listRestorePointIDs().isEmpty)
        #expect(try await fixture.repository.locks().list().isEmpty)
    }
}
