import Synchronization

/// The block identities known to be stored, used to skip blocks that already exist and to give the new
/// restore point's tree a location hint for them.
///
/// The repository's known blocks sit in one sorted array (32 bytes each: a 128-bit fingerprint — the first
/// half of the 256-bit ID — and a compact location), read without locking. Blocks stored by the running
/// backup sit in a small locked table, their location filled in once they are packed. The total is capped;
/// beyond it, blocks are simply stored again (a duplicate costs space, never correctness). See
/// docs/FORMAT.md, "Memory bounds".
final class DedupSet: Sendable {
    struct Fingerprint: Hashable, Comparable, Sendable {
        var high: UInt64
        var low: UInt64

        static func < (lhs: Fingerprint, rhs: Fingerprint) -> Bool { (lhs.high, lhs.low) < (rhs.high, rhs.low) }
    }

    /// A known block: its fingerprint and where it is.
    struct Known: Sendable {
        var fingerprint: Fingerprint
        var pack: UInt32
        var offset: UInt32
        var storedLength: UInt32
        var flags: UInt8
    }

    /// What a claim found.
    enum Claim: Sendable {
        /// Not stored yet: the caller must store it.
        case store
        /// Already stored; its location when known.
        case exists(BlockLocation?)
    }

    private let known: [Known]
    private let packs: [PackID]
    private let claimed: Mutex<[Fingerprint: BlockLocation?]>
    private let claimCapacity: Int

    /// Creates a set from the repository's known blocks (sorted here) with room for `claimCapacity` more.
    init(known: [Known], packs: [PackID], claimCapacity: Int) {
        self.known = known.sorted { $0.fingerprint < $1.fingerprint }
        self.packs = packs
        self.claimCapacity = claimCapacity
        claimed = Mutex([:])
    }

    static func fingerprint(_ id: BlockID) -> Fingerprint { Fingerprint(high: id.w0, low: id.w1) }

    var knownCount: Int { known.count }

    private func knownLocation(_ id: BlockID, _ fingerprint: Fingerprint) -> BlockLocation?? {
        var low = 0
        var high = known.count
        while low < high {
            let middle = (low + high) / 2
            if known[middle].fingerprint < fingerprint { low = middle + 1 } else { high = middle }
        }
        guard low < known.count, known[low].fingerprint == fingerprint else { return nil }
        let entry = known[low]
        guard Int(entry.pack) < packs.count else { return .some(nil) }
        let location = BlockLocation(
            pack: packs[Int(entry.pack)],
            entry: PackEntry(
                id: id,
                offset: entry.offset,
                storedLength: entry.storedLength,
                rawLength: 0,
                flags: BlockFlags(rawValue: entry.flags)
            )
        )
        return .some(location)
    }

    /// Claims a block: tells whether the caller must store it or where it already is.
    func claim(_ id: BlockID, rawLength: Int) -> Claim {
        let fingerprint = Self.fingerprint(id)
        if let found = knownLocation(id, fingerprint) {
            return .exists(found.map { Self.withLength($0, rawLength) })
        }
        return claimed.withLock { table in
            if let entry = table[fingerprint] { return .exists(entry) }
            if table.count < claimCapacity { table[fingerprint] = .some(nil) }
            return .store
        }
    }

    /// Records where a block claimed by this backup was packed, for later duplicates.
    func stored(_ location: BlockLocation) {
        let fingerprint = Self.fingerprint(location.entry.id)
        claimed.withLock { table in
            if table[fingerprint] != nil { table[fingerprint] = .some(location) }
        }
    }

    private static func withLength(_ location: BlockLocation, _ rawLength: Int) -> BlockLocation {
        var copy = location
        copy.entry.rawLength = UInt32(rawLength)
        return copy
    }
}
