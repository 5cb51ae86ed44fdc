import Foundation

/// What the scheduler does when a policy's run falls due: start it, or skip it and say why.
///
/// A run never piles up behind a stuck one: when the policy's previous session still runs at the due time, the
/// due run is skipped and reported, and the next one is planned as usual. Runs missed while the appliance was
/// down are collapsed into one, started at once, so that a restart after a night's outage backs up once, not
/// once per missed time.
public enum ScheduledRun: Sendable, Hashable {
    /// Start a session now; `missed` counts the due times collapsed into it beyond the first.
    case start(due: Date, missed: Int)
    /// Skip the due run: the session `running` of this policy still runs.
    case skip(due: Date, running: String, reason: String)
    /// Nothing is due before `next` (`nil`: never).
    case wait(next: Date?)

    /// Decides for a policy whose schedule was last looked at `lastChecked`, at `now`, given the ID and start
    /// of its session still running, if any.
    public static func decide(
        schedule: PolicySchedule,
        enabled: Bool,
        lastChecked: Date,
        now: Date,
        running: (id: String, started: Date)?
    ) -> ScheduledRun {
        guard enabled else { return .wait(next: nil) }
        let due = schedule.runs(after: lastChecked, through: now)
        guard let latest = due.last else { return .wait(next: schedule.nextRun(after: now)) }
        if let running {
            return .skip(
                due: latest,
                running: running.id,
                reason: "the run due at \(latest) was skipped: session \(running.id) of this policy, started at "
                    + "\(running.started), is still running; stop it or wait for it, the next run is planned as usual"
            )
        }
        return .start(due: latest, missed: due.count - 1)
    }
}
