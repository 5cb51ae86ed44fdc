import Foundation
import Testing

@testable import BackupRepository

/// The choice of which copy of a block garbage collection keeps, on hand-made index entries.
@Suite struct MarkTableTests {
    /// A pack ID whose 32 bytes are all `byte`: IDs sort as their bytes do.
    static func pack(_ byte: UInt8) -> PackID {
        PackID(value: BlockID(bytes: [UInt8](repeating: byte, count: 32)))
    }

    /// A block ID made of `seed` and its position, distinct for distinct arguments.
    static func block(_ seed: UInt8) -> BlockID {
        BlockID(bytes: (0..<32).map { UInt8(truncatingIfNeeded: Int(seed) &* 31 &+ $0) })
    }

    static func location(_ block: BlockID, in pack: PackID, at slot: Int) -> BlockLocation {
        BlockLocation(
            pack: pack,
            entry: PackEntry(id: block, offset: UInt32(slot * 100), storedLength: 100, rawLength: 100, flags: [])
        )
    }

    /// The state an interrupted repack leaves: the old packs `a` and `b` and the new pack `n` that holds the
    /// live blocks of both. `a` sorts before `n`, `b` after it.
    static func interruptedRepack() -> (table: MarkTable, a: PackID, b: PackID, n: PackID, live: [BlockID]) {
        let (a, n, b) = (pack(1), pack(2), pack(3))
        let fromA = block(1)
        let fromB = (10..<19).map { block(UInt8($0)) }
        var table = MarkTable()
        table.add(location(fromA, in: a, at: 0))
        table.add(location(block(2), in: a, at: 1))
        for (slot, id) in fromB.enumerated() {
            table.add(location(id, in: b, at: slot))
            table.add(location(id, in: n, at: slot + 1))
        }
        table.add(location(block(40), in: b, at: 20))
        table.add(location(fromA, in: n, at: 0))
        table.seal()
        let live = [fromA] + fromB
        for id in live { table.mark(id) }
        return (table, a, b, n, live)
    }

    @Test func aBlockKeptInALeavingPackMovesToTheCopyInAPackThatStays() {
        let state = Self.interruptedRepack()
        let (a, b, n, live) = (state.a, state.b, state.n, state.live)
        var table = state.table
        table.chooseCopies { _ in true }
        // Smallest ID first: the block of `a` is kept in `a`, those of `b` in `n`.
        #expect(table.usage()[a]?.liveEntries == 1)
        #expect(table.usage()[n]?.liveEntries == 9)

        let moved = table.preferCopies(outside: [a, b], exists: { _ in true })
        #expect(moved)
        let usage = table.usage()
        #expect(usage[a]?.liveEntries == 0, "nothing of a is copied again: it is simply deleted")
        #expect(usage[b]?.liveEntries == 0)
        #expect(usage[n]?.liveEntries == live.count && usage[n]?.entries == live.count)
        #expect(table.keptOffsets(in: [a, b]).isEmpty)
        #expect(table.liveBlocks == live.count)
    }

    @Test func aBlockWithNoCopyInAPackThatStaysKeepsItsChoice() {
        let state = Self.interruptedRepack()
        let (a, b, n) = (state.a, state.b, state.n)
        var table = state.table
        table.chooseCopies { _ in true }
        let before = table.usage()
        let movedFromAll = table.preferCopies(outside: [a, b, n], exists: { _ in true })
        #expect(!movedFromAll)
        #expect(table.usage() == before)
        // A copy in a pack missing from the store is never chosen.
        let movedToMissing = table.preferCopies(outside: [a, b], exists: { $0 != n })
        #expect(!movedToMissing)
        #expect(table.usage() == before)
    }
}
