import Foundation
import Testing

@testable import BackupRepository

@Suite struct RetentionPolicyTests {
    /// Parses `2026-11-24T13:05:00Z`-style times.
    static func time(_ text: String) -> Date {
        (try? Date(text, strategy: .iso8601)) ?? Date(timeIntervalSince1970: 0)
    }

    static func point(_ id: String, _ text: String, tags: Set<String> = [], group: String = "") -> RetentionCandidate {
        RetentionCandidate(id: id, time: time(text), tags: tags, group: group)
    }

    let now = time("2026-11-24T12:00:00Z")

    @Test func keepLastKeepsTheNewestWithTheirRank() throws {
        let points = (1...5).map { Self.point("p\($0)", "2026-11-2\($0)T10:00:00Z") }
        let plan = try RetentionPolicy(keepLast: 3).evaluate(points.shuffled(), now: now)
        #expect(plan.keptIDs == ["p5", "p4", "p3"])
        #expect(plan.removedIDs == ["p2", "p1"])
        #expect(plan.kept.map { $0.reasons.map(\.description) } == [["last 1"], ["last 2"], ["last 3"]])
    }

    @Test func keepDailyTakesTheNewestOfEachDayAndSkipsEmptyDays() throws {
        let points = [
            Self.point("a", "2026-11-24T08:00:00Z"),
            Self.point("b", "2026-11-24T02:00:00Z"),
            Self.point("c", "2026-11-22T23:59:59Z"),
            Self.point("d", "2026-11-22T00:00:00Z"),
            Self.point("e", "2026-11-19T12:00:00Z"),
            Self.point("f", "2026-11-18T12:00:00Z"),
        ]
        let plan = try RetentionPolicy(keepDaily: 3).evaluate(points, now: now)
        #expect(plan.keptIDs == ["a", "c", "e"])
        #expect(
            plan.kept.map { $0.reasons } == [
                [RetentionReason(rule: "daily", detail: "2026-11-24")],
                [RetentionReason(rule: "daily", detail: "2026-11-22")],
                [RetentionReason(rule: "daily", detail: "2026-11-19")],
            ]
        )
        #expect(plan.removedIDs == ["b", "d", "f"])
    }

    @Test func keepHourlyUsesHourPeriods() throws {
        let points = [
            Self.point("a", "2026-11-24T11:59:00Z"),
            Self.point("b", "2026-11-24T11:01:00Z"),
            Self.point("c", "2026-11-24T10:30:00Z"),
            Self.point("d", "2026-11-24T09:30:00Z"),
        ]
        let plan = try RetentionPolicy(keepHourly: 2).evaluate(points, now: now)
        #expect(plan.keptIDs == ["a", "c"])
        #expect(plan.kept[1].reasons.map(\.description) == ["hourly 2026-11-24T10"])
    }

    @Test func keepWeeklyUsesISOWeeksAcrossTheYearBoundary() throws {
        let points = [
            Self.point("mon", "2021-01-04T10:00:00Z"),  // 2021-W01
            Self.point("sun", "2021-01-03T10:00:00Z"),  // 2020-W53
            Self.point("thu", "2020-12-31T10:00:00Z"),  // 2020-W53
            Self.point("prev", "2020-12-27T10:00:00Z"),  // 2020-W52
        ]
        let plan = try RetentionPolicy(keepWeekly: 5).evaluate(points, now: now)
        #expect(plan.keptIDs == ["mon", "sun", "prev"])
        #expect(plan.kept.map { $0.reasons.map(\.detail) } == [["2021-W01"], ["2020-W53"], ["2020-W52"]])
        #expect(plan.removedIDs == ["thu"])
    }

    @Test func keepMonthlyAndYearly() throws {
        let points = [
            Self.point("a", "2026-11-01T00:00:00Z"),
            Self.point("b", "2026-10-31T23:00:00Z"),
            Self.point("c", "2026-10-01T00:00:00Z"),
            Self.point("d", "2025-12-31T23:59:00Z"),
            Self.point("e", "2024-06-01T00:00:00Z"),
            Self.point("f", "2024-01-01T00:00:00Z"),
        ]
        let plan = try RetentionPolicy(keepMonthly: 2, keepYearly: 3).evaluate(points, now: now)
        #expect(plan.keptIDs == ["a", "b", "d", "e"])
        #expect(
            plan.kept.map { $0.reasons.map(\.description) } == [
                ["monthly 2026-11", "yearly 2026"], ["monthly 2026-10"], ["yearly 2025"], ["yearly 2024"],
            ]
        )
        #expect(plan.removedIDs == ["c", "f"])
    }

    @Test func periodsFollowTheGivenTimeZone() throws {
        // 03:30 UTC on the 24th is still the 23rd in New York.
        let points = [
            Self.point("late", "2026-11-24T03:30:00Z"),
            Self.point("early", "2026-11-23T15:00:00Z"),
        ]
        let utc = try RetentionPolicy(keepDaily: 5).evaluate(points, now: now)
        #expect(utc.keptIDs == ["late", "early"])
        let newYork = try #require(TimeZone(identifier: "America/New_York"))
        let local = try RetentionPolicy(keepDaily: 5, timeZone: newYork).evaluate(points, now: now)
        #expect(local.keptIDs == ["late"])
        #expect(local.kept[0].reasons.map(\.detail) == ["2026-11-23"])
        #expect(local.removedIDs == ["early"])
    }

    @Test func keepWithinIsInclusiveAndKeepsFuturePoints() throws {
        let points = [
            Self.point("future", "2026-11-25T00:00:00Z"),
            Self.point("edge", "2026-11-21T12:00:00Z"),
            Self.point("old", "2026-11-21T11:59:59Z"),
        ]
        let plan = try RetentionPolicy(keepWithin: 3 * 86_400).evaluate(points, now: now)
        #expect(plan.keptIDs == ["future", "edge"])
        #expect(plan.kept[0].reasons.map(\.description) == ["within 3d"])
        #expect(plan.removedIDs == ["old"])
    }

    @Test func keepTagsKeepsTaggedPoints() throws {
        let points = [
            Self.point("new", "2026-11-24T10:00:00Z"),
            Self.point("gold", "2026-01-01T10:00:00Z", tags: ["gold", "audit"]),
            Self.point("plain", "2025-01-01T10:00:00Z", tags: ["x"]),
        ]
        let plan = try RetentionPolicy(keepLast: 1, keepTags: ["audit", "gold"]).evaluate(points, now: now)
        #expect(plan.keptIDs == ["new", "gold"])
        #expect(plan.kept[1].reasons.map(\.description) == ["tag audit", "tag gold"])
        #expect(plan.removedIDs == ["plain"])
    }

    @Test func onlyTaggedLeavesOtherPointsAlone() throws {
        let points = [
            Self.point("d1", "2026-11-24T10:00:00Z", tags: ["daily"]),
            Self.point("m1", "2026-11-23T10:00:00Z", tags: ["manual"]),
            Self.point("d2", "2026-11-22T10:00:00Z", tags: ["daily"]),
            Self.point("d3", "2026-11-21T10:00:00Z", tags: ["daily", "x"]),
        ]
        let plan = try RetentionPolicy(keepLast: 1, onlyTagged: ["daily"]).evaluate(points, now: now)
        #expect(plan.keptIDs == ["d1", "m1"])
        #expect(plan.kept[1].reasons.map(\.rule) == ["not-selected"])
        #expect(plan.removedIDs == ["d2", "d3"])
    }

    @Test func rulesApplyPerGroup() throws {
        let points = [
            Self.point("vm1-a", "2026-11-24T10:00:00Z", group: "vm1/disk0"),
            Self.point("vm1-b", "2026-11-23T10:00:00Z", group: "vm1/disk0"),
            Self.point("vm2-a", "2026-11-20T10:00:00Z", group: "vm2/disk0"),
            Self.point("vm2-b", "2026-11-19T10:00:00Z", group: "vm2/disk0"),
        ]
        let plan = try RetentionPolicy(keepLast: 1).evaluate(points, now: now)
        #expect(plan.keptIDs == ["vm1-a", "vm2-a"])
        #expect(plan.removedIDs == ["vm1-b", "vm2-b"])
    }

    @Test func onePointCanHaveSeveralReasons() throws {
        let points = [Self.point("only", "2026-11-24T10:00:00Z", tags: ["keep"])]
        let policy = RetentionPolicy(
            keepLast: 1,
            keepHourly: 1,
            keepDaily: 1,
            keepWeekly: 1,
            keepMonthly: 1,
            keepYearly: 1,
            keepWithin: 3_600 * 5,
            keepTags: ["keep"]
        )
        let plan = try policy.evaluate(points, now: now)
        #expect(
            plan.kept.first?.reasons.map(\.description) == [
                "last 1", "hourly 2026-11-24T10", "daily 2026-11-24", "weekly 2026-W48", "monthly 2026-11",
                "yearly 2026", "within 5h", "tag keep",
            ]
        )
    }

    @Test func equalTimesAreOrderedByIDSoTheResultIsStable() throws {
        let points = ["b", "c", "a"].map { Self.point($0, "2026-11-24T10:00:00Z") }
        let plan = try RetentionPolicy(keepLast: 1).evaluate(points, now: now)
        #expect(plan.keptIDs == ["c"])
        #expect(plan.removedIDs == ["b", "a"])
    }

    @Test func anEmptyPolicyIsRefused() {
        #expect(RetentionPolicy().isEmpty)
        #expect(RetentionPolicy(onlyTagged: ["x"]).isEmpty)
        #expect(!RetentionPolicy(keepWithin: 0).isEmpty)
        #expect(throws: RetentionError.self) {
            try RetentionPolicy().evaluate([Self.point("a", "2026-11-24T10:00:00Z")], now: now)
        }
    }

    @Test func noCandidatesGiveAnEmptyPlan() throws {
        let plan = try RetentionPolicy(keepLast: 3).evaluate([], now: now)
        #expect(plan.kept.isEmpty && plan.removed.isEmpty)
    }

    @Test func durationsAreWrittenCompactly() {
        #expect(RetentionPolicy.durationText(0) == "0s")
        #expect(RetentionPolicy.durationText(90) == "1m30s")
        #expect(RetentionPolicy.durationText(86_400 * 2 + 3_600) == "2d1h")
    }

    @Test func thePolicyRoundTripsThroughJSON() throws {
        let tokyo = try #require(TimeZone(identifier: "Asia/Tokyo"))
        let policy = RetentionPolicy(keepLast: 2, keepDaily: 7, keepWithin: 60, keepTags: ["a"], timeZone: tokyo)
        let decoded = try JSONDecoder().decode(RetentionPolicy.self, from: JSONEncoder().encode(policy))
        #expect(decoded == policy)
    }

    /// Random histories: every point is decided exactly once, kept points have reasons, the result
    /// does not depend on input order, and the newest point of each group survives any keep rule.
    @Test(arguments: 0..<40)
    func invariantsHoldForRandomHistories(seed: Int) throws {
        var random = SplitMix(seed: UInt64(seed))
        let start = Self.time("2024-01-01T00:00:00Z")
        let points = (0..<Int(random.next() % 120)).map { index in
            RetentionCandidate(
                id: "p\(index)",
                time: start.addingTimeInterval(Double(random.next() % (3 * 365 * 86_400))),
                tags: random.next() % 5 == 0 ? ["gold"] : [],
                group: "g\(random.next() % 3)"
            )
        }
        let policy = RetentionPolicy(
            keepLast: Int(random.next() % 4),
            keepHourly: Int(random.next() % 6),
            keepDaily: Int(random.next() % 8),
            keepWeekly: Int(random.next() % 5),
            keepMonthly: Int(random.next() % 13),
            keepYearly: 1 + Int(random.next() % 3),
            keepTags: random.next() % 2 == 0 ? ["gold"] : []
        )
        let plan = try policy.evaluate(points, now: now)
        let all = plan.keptIDs + plan.removedIDs
        #expect(all.count == points.count)
        #expect(Set(all) == Set(points.map(\.id)))
        #expect(plan.kept.allSatisfy { !$0.reasons.isEmpty })
        #expect(try policy.evaluate(points.reversed(), now: now) == plan)
        for (_, members) in Dictionary(grouping: points, by: \.group) {
            let newest = try #require(members.max { ($0.time, $0.id) < ($1.time, $1.id) })
            #expect(plan.keptIDs.contains(newest.id))
        }
        let keptYears = Set(plan.kept.flatMap(\.reasons).filter { $0.rule == "yearly" }.map(\.detail))
        #expect(keptYears.count <= policy.keepYearly * 3)
    }
}

/// A small deterministic random number generator for repeatable test data.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
