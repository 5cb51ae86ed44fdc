import Foundation
import Testing

@testable import BackupRepository

@Suite struct GarbageGraceTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func lock(createdSecondsAgo: TimeInterval) -> LockRecord {
        let created = now.addingTimeInterval(-createdSecondsAgo)
        return LockRecord(
            id: "0",
            kind: .shared,
            purpose: "backup",
            holder: "t",
            host: "h",
            pid: 1,
            created: created,
            refreshed: now
        )
    }

    @Test func youngObjectsAreProtected() {
        let grace = GarbageGrace(minimumAge: 3_600, clockSkew: 300)
        #expect(grace.protects(modified: now.addingTimeInterval(-3_599), now: now, liveLocks: []))
        #expect(!grace.protects(modified: now.addingTimeInterval(-3_601), now: now, liveLocks: []))
    }

    @Test func objectsNewerThanTheOldestLiveLockAreProtected() {
        let grace = GarbageGrace(minimumAge: 3_600, clockSkew: 300)
        let locks = [lock(createdSecondsAgo: 10 * 3_600), lock(createdSecondsAgo: 2 * 3_600)]
        #expect(grace.protectedSince(now: now, liveLocks: locks) == now.addingTimeInterval(-10 * 3_600 - 300))
        #expect(grace.protects(modified: now.addingTimeInterval(-9 * 3_600), now: now, liveLocks: locks))
        #expect(!grace.protects(modified: now.addingTimeInterval(-11 * 3_600), now: now, liveLocks: locks))
    }

    @Test func aRecentLockDoesNotShortenTheMinimumAge() {
        let grace = GarbageGrace(minimumAge: 3_600, clockSkew: 0)
        let locks = [lock(createdSecondsAgo: 60)]
        #expect(grace.protectedSince(now: now, liveLocks: locks) == now.addingTimeInterval(-3_600))
    }
}
