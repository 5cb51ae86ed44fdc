import Foundation
import Testing

@testable import Appliance

@Suite struct PolicyScheduleTests {
    /// A moment written as `yyyy-MM-dd HH:mm` in `zone`.
    static func at(_ text: String, _ zone: String = "UTC") -> Date {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: zone)
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.date(from: text)!
    }

    static func time(_ text: String) -> TimeOfDay { try! TimeOfDay(text) }

    @Test func dailyRunsAtEachChosenTimeOnChosenDays() throws {
        let schedule = PolicySchedule(rules: [.daily(at: [Self.time("02:00"), Self.time("14:30")], on: [.mon, .wed])])
        try schedule.validate()
        // 2026-12-07 is a Monday.
        #expect(schedule.nextRun(after: Self.at("2026-12-06 23:00")) == Self.at("2026-12-07 02:00"))
        #expect(schedule.nextRun(after: Self.at("2026-12-07 02:00")) == Self.at("2026-12-07 14:30"))
        #expect(schedule.nextRun(after: Self.at("2026-12-07 14:30")) == Self.at("2026-12-09 02:00"))
        let everyDay = PolicySchedule(rules: [.daily(at: [Self.time("22:00")])])
        #expect(everyDay.nextRun(after: Self.at("2026-12-12 22:00")) == Self.at("2026-12-13 22:00"))
    }

    @Test func weeklyMonthlyAndYearlyRules() throws {
        let weekly = PolicySchedule(rules: [.weekly(on: .sun, at: Self.time("03:00"))])
        #expect(weekly.nextRun(after: Self.at("2026-12-07 00:00")) == Self.at("2026-12-13 03:00"))
        // The 31st runs on the last day of a shorter month; 0 is always the last day.
        let monthly = PolicySchedule(rules: [.monthly(on: 31, at: Self.time("04:00"))])
        #expect(monthly.nextRun(after: Self.at("2027-02-01 00:00")) == Self.at("2027-02-28 04:00"))
        let last = PolicySchedule(rules: [.monthly(on: 0, at: Self.time("04:00"))])
        #expect(last.nextRun(after: Self.at("2028-02-01 00:00")) == Self.at("2028-02-29 04:00"))
        let yearly = PolicySchedule(rules: [.yearly(month: 1, day: 1, at: Self.time("05:00"))])
        #expect(yearly.nextRun(after: Self.at("2026-12-06 00:00")) == Self.at("2027-01-01 05:00"))
        // Several rules: the earliest wins.
        let both = PolicySchedule(rules: weekly.rules + yearly.rules)
        #expect(both.nextRun(after: Self.at("2026-12-31 23:00")) == Self.at("2027-01-01 05:00"))
    }

    @Test func timesAreInThePolicysTimeZoneAcrossDaylightSaving() throws {
        let paris = PolicySchedule(rules: [.daily(at: [Self.time("02:30")])], timeZone: "Europe/Paris")
        try paris.validate()
        #expect(paris.nextRun(after: Self.at("2026-12-06 12:00")) == Self.at("2026-12-07 02:30", "Europe/Paris"))
        // 2027-03-28 02:30 does not exist in Paris (clocks jump from 02:00 to 03:00): the run is after the gap.
        let jump = try #require(paris.nextRun(after: Self.at("2027-03-27 12:00")))
        #expect(jump > Self.at("2027-03-28 01:59", "Europe/Paris"))
        #expect(jump < Self.at("2027-03-28 04:00", "Europe/Paris"))
        // The day after, the usual local time again.
        #expect(paris.nextRun(after: jump) == Self.at("2027-03-29 02:30", "Europe/Paris"))
    }

    @Test func badRulesAreRefusedWithWhatToGive() {
        #expect(throws: ApplianceError.self) { try TimeOfDay("25:00") }
        #expect(throws: ApplianceError.self) { try TimeOfDay("2pm") }
        #expect(throws: ApplianceError.self) { try PolicySchedule(rules: []).validate() }
        #expect(throws: ApplianceError.self) {
            try PolicySchedule(rules: [.daily(at: [Self.time("01:00")])], timeZone: "Mars/Olympus").validate()
        }
        #expect(throws: ApplianceError.self) {
            try PolicySchedule(rules: [ScheduleRule(kind: .weekly, times: [Self.time("01:00")])]).validate()
        }
        #expect(throws: ApplianceError.self) {
            try PolicySchedule(rules: [.yearly(month: 13, day: 1, at: Self.time("01:00"))]).validate()
        }
        do {
            try PolicySchedule(rules: [.monthly(on: 40, at: Self.time("01:00"))]).validate()
            Issue.record("day 40 was accepted")
        } catch {
            #expect(error.description.contains("dayOfMonth"))
        }
    }

    @Test func schedulesRoundTripThroughTheirJSON() throws {
        let json = """
            {"rules":[{"kind":"daily","times":["02:00","14:30"],"days":["mon","fri"]},
            {"kind":"monthly","dayOfMonth":0,"times":["04:00"]}],"timeZone":"Europe/Paris"}
            """
        let schedule = try JSONDecoder().decode(PolicySchedule.self, from: Data(json.utf8))
        #expect(schedule.rules[0].times.map(\.description) == ["02:00", "14:30"])
        #expect(schedule.rules[0].days == [.mon, .fri])
        #expect(schedule.rules[1].dayOfMonth == 0)
        let again = try JSONDecoder().decode(PolicySchedule.self, from: try JSONEncoder().encode(schedule))
        #expect(again == schedule)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(
                PolicySchedule.self,
                from: Data(#"{"rules":[{"kind":"daily","times":["7"]}],"timeZone":"UTC"}"#.utf8)
            )
        }
    }

    @Test func aDueRunStartsAndMissedRunsCollapseIntoOne() {
        let schedule = PolicySchedule(rules: [.daily(at: [Self.time("01:00"), Self.time("13:00")])])
        // The appliance was down for two days: four due times, one run.
        let decision = ScheduledRun.decide(
            schedule: schedule,
            enabled: true,
            lastChecked: Self.at("2026-12-04 00:00"),
            now: Self.at("2026-12-05 14:00"),
            running: nil
        )
        #expect(decision == .start(due: Self.at("2026-12-05 13:00"), missed: 3))
        let nothing = ScheduledRun.decide(
            schedule: schedule,
            enabled: true,
            lastChecked: Self.at("2026-12-05 14:00"),
            now: Self.at("2026-12-05 14:01"),
            running: nil
        )
        #expect(nothing == .wait(next: Self.at("2026-12-06 01:00")))
        #expect(
            ScheduledRun.decide(
                schedule: schedule,
                enabled: false,
                lastChecked: Self.at("2026-12-04 00:00"),
                now: Self.at("2026-12-05 14:00"),
                running: nil
            ) == .wait(next: nil)
        )
    }

    @Test func aRunDueWhileTheLastOneStillRunsIsSkippedAndReported() {
        let schedule = PolicySchedule(rules: [.daily(at: [Self.time("01:00")])])
        let decision = ScheduledRun.decide(
            schedule: schedule,
            enabled: true,
            lastChecked: Self.at("2026-12-05 00:30"),
            now: Self.at("2026-12-05 01:00"),
            running: (id: "session-7", started: Self.at("2026-12-04 01:00"))
        )
        guard case .skip(let due, let running, let reason) = decision else {
            Issue.record("expected a skip, got \(decision)")
            return
        }
        #expect(due == Self.at("2026-12-05 01:00"))
        #expect(running == "session-7")
        #expect(reason.contains("session-7") && reason.contains("still running"))
    }
}
