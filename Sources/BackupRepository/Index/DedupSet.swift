import Synchronization

/// The set of block identities known to be stored, used to skip blocks that already exist.
///
/// Holds a 128-bit fingerprint (the first half of the 256-bit ID) per block, about 40 bytes with the hash
/// table's overhead, and stops growing at `capacity` entries: beyond it blocks are stored again (a duplicate
/// costs space, never correctness). See docs/FORMAT.md, "Memory bounds".
final class DedupSet: Sendable {
    struct Fingerprint: Hashable, Sendable {
        var high: UInt64
        var low: UInt64
    }

    private let state: Mutex<Set<Fingerprint>>
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        state = Mutex(Set())
    }

    static func fingerprint(_ id: BlockID) -> Fingerprint { Fingerprint(high: id.w0, low: id.w1) }

    /// Records an existing block (up to the capacity).
    func insert(_ id: BlockID) {
        state.withLock { set in
            if set.count < capacity { set.insert(Self.fingerprint(id)) }
        }
    }

    /// Returns true when the caller must store the block: it is not known yet (and is now claimed).
    func claim(_ id: BlockID) -> Bool {
        state.withLock { set in
            let fingerprint = Self.fingerprint(id)
            if set.contains(fingerprint) { return false }
            if set.count < capacity { set.insert(fingerprint) }
            return true
        }
    }

    var count: Int { state.withLock { $0.count } }
}
