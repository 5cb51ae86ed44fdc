import Foundation
import Testing

@testable import BackupRepository

/// The in-memory index loads once however many lookups miss at the same time.
@Suite struct BlockIndexCacheTests {
    static func location(_ byte: UInt8) throws -> (BlockID, BlockLocation) {
        let id = BlockID(bytes: [UInt8](repeating: byte, count: 32))
        let pack = try #require(PackID(hex: String(repeating: String(format: "%02x", byte), count: 32)))
        let entry = PackEntry(id: id, offset: 8, storedLength: 100, rawLength: 64, flags: [])
        return (id, BlockLocation(pack: pack, entry: entry))
    }

    /// A loader that counts its calls and holds every call until `open` is set.
    struct GatedLoader: Sendable {
        let table: BlockIndexCache.Table
        let calls = Shared(0)
        let open = Shared(false)

        func load() async throws -> BlockIndexCache.Table {
            calls.update { $0 += 1 }
            try await waitUntil("the test opens the gate") { open.value }
            return table
        }
    }

    @Test func sixteenConcurrentMissesLoadTheIndexOnce() async throws {
        let (id, location) = try Self.location(1)
        let cache = BlockIndexCache()
        let loader = GatedLoader(table: [id: location])
        let waiting = Shared(0)
        try await withThrowingTaskGroup(of: BlockLocation?.self) { group in
            for _ in 0..<16 {
                group.addTask {
                    waiting.update { $0 += 1 }
                    return try await cache.lookup(id, loader: loader.load).location
                }
            }
            // Hold the one load until every lookup has started, then let it finish.
            try await waitUntil("all lookups started and one load runs") {
                waiting.value == 16 && loader.calls.value >= 1
            }
            loader.open.update { $0 = true }
            for try await found in group { #expect(found == location) }
        }
        #expect(loader.calls.value == 1)
        // Later lookups use the cached table.
        #expect(try await cache.lookup(id, loader: loader.load).location == location)
        #expect(loader.calls.value == 1)
    }

    @Test func askingForANewerTableReloadsOnceForAllWhoSawTheOldOne() async throws {
        let (id, location) = try Self.location(2)
        let cache = BlockIndexCache()
        let loader = GatedLoader(table: [id: location])
        loader.open.update { $0 = true }
        let first = try await cache.lookup(id, loader: loader.load)
        #expect(first.location == location && loader.calls.value == 1)

        // Sixteen callers found the table out of date at the same time: one reload serves them all.
        let generations = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<16 {
                group.addTask {
                    try await cache.lookup(id, newerThan: first.generation, loader: loader.load).generation
                }
            }
            var seen: Set<Int> = []
            for try await generation in group { seen.insert(generation) }
            return seen
        }
        #expect(generations == [first.generation + 1])
        #expect(loader.calls.value == 2)
    }

    @Test func aFailedLoadIsNotCachedAndInvalidateDropsTheTable() async throws {
        struct Unreadable: Error {}
        let (id, location) = try Self.location(3)
        let cache = BlockIndexCache()
        let calls = Shared(0)
        let loader: @Sendable () async throws -> BlockIndexCache.Table = {
            let call = calls.update { count in
                count += 1
                return count
            }
            if call == 1 { throw Unreadable() }
            return [id: location]
        }
        await #expect(throws: Unreadable.self) { try await cache.lookup(id, loader: loader) }
        #expect(try await cache.lookup(id, loader: loader).location == location)
        #expect(calls.value == 2)
        cache.invalidate()
        #expect(try await cache.lookup(id, loader: loader).location == location)
        #expect(calls.value == 3)
    }
}
