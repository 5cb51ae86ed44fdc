import BackupRepository
import Foundation
import Testing

@testable import Worker

@Suite struct PackSampleTests {
    /// `count` distinct pack IDs.
    static func packs(_ count: Int) throws -> [PackID] {
        try (0..<count).map { index in
            let hex = String(format: "%064x", index * 7_919 + 1)
            return try #require(PackID(hex: hex))
        }
    }

    @Test func aSampleTakesAboutItsFractionTheSameForOneJobAndDifferentForAnother() throws {
        let packs = try Self.packs(2_000)
        let first = PackSample(fraction: 0.25, seed: "job-1")
        let chosen = packs.filter(first.contains)
        #expect((400...600).contains(chosen.count), "\(chosen.count) of 2000")
        #expect(packs.filter(PackSample(fraction: 0.25, seed: "job-1").contains) == chosen)
        #expect(packs.filter(PackSample(fraction: 0.25, seed: "job-2").contains) != chosen)
        #expect(packs.allSatisfy(PackSample(fraction: 1, seed: "job-1").contains))
    }
}
