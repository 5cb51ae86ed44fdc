import AzureKit
import Testing

@testable import LocalCloud

@Suite struct DiskMutationPlanTests {
    @Test func onePercentIsScatteredAlignedAndReplayable() {
        let size: Int64 = 1 << 30
        var first = SeededGenerator(seed: 42)
        var second = SeededGenerator(seed: 42)
        let plan = DiskMutationPlan(diskSize: size, percent: 1, generator: &first)
        let again = DiskMutationPlan(diskSize: size, percent: 1, generator: &second)
        #expect(plan == again)
        let expected = Int64((Double(size / 4096) * 0.01).rounded()) * 4096
        #expect(plan.totalBytes == expected)
        #expect(plan.writes.count > 10)
        for write in plan.writes {
            #expect(write.offset % 4096 == 0)
            #expect(write.length >= 4096 && write.length <= 256 * 1024)
            #expect(write.offset + write.length <= size)
        }
        for (left, right) in zip(plan.writes, plan.writes.dropFirst()) {
            #expect(left.offset + left.length <= right.offset)
        }
        #expect(plan.changedRanges.reduce(0) { $0 + $1[1] } == plan.totalBytes)
    }

    @Test func anotherSeedGivesAnotherPattern() {
        var first = SeededGenerator(seed: 1)
        var second = SeededGenerator(seed: 2)
        #expect(
            DiskMutationPlan(diskSize: 1 << 26, percent: 5, generator: &first)
                != DiskMutationPlan(diskSize: 1 << 26, percent: 5, generator: &second)
        )
    }
}
