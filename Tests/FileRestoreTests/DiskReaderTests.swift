import BackupRepository
import Foundation
import Testing

@testable import FileRestore

@Suite struct DiskReaderTests {
    @Test func aZeroRegionReadsAsZerosAgainOnceCached() async throws {
        let images = try await TestImages.shared.value
        let id = try #require(images.points["gpt"])
        let offset: Int64 = 110 << 20
        let (first, second, past) = try await images.repository.withDiskReader(id) { reader in
            let first = try await reader.read(at: offset, count: 100_000)
            let second = try await reader.read(at: offset + 10, count: 70_000)
            let past = (try? await reader.read(at: reader.size - 1, count: 2)) == nil
            return (first, second, past)
        }
        #expect(first == Data(count: 100_000))
        #expect(second == Data(count: 70_000))
        #expect(past)
    }
}
