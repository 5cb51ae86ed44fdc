import Logging

extension Repository {
    /// Loads the fingerprints and locations of indexed blocks for deduplication, newest index objects first,
    /// up to three quarters of `capacity`; up to an eighth more is left for the blocks the backup itself stores.
    func loadDedupSet(capacity: Int) async throws -> DedupSet {
        var objects: [ObjectInfo] = []
        for try await object in store.objects(prefix: IndexObject.prefix) { objects.append(object) }
        objects.sort { $0.modified > $1.modified }
        let knownLimit = capacity / 4 * 3
        var known: [DedupSet.Known] = []
        var packs: [PackID] = []
        var packNumbers: [PackID: UInt32] = [:]
        for object in objects where known.count < knownLimit {
            let index = try await readIndexObject(object.key)
            for location in index.locations.prefix(knownLimit - known.count) {
                let number: UInt32
                if let existing = packNumbers[location.pack] {
                    number = existing
                } else {
                    number = UInt32(packs.count)
                    packNumbers[location.pack] = number
                    packs.append(location.pack)
                }
                known.append(
                    DedupSet.Known(
                        fingerprint: DedupSet.fingerprint(location.entry.id),
                        pack: number,
                        offset: location.entry.offset,
                        storedLength: location.entry.storedLength,
                        flags: location.entry.flags.rawValue
                    )
                )
            }
        }
        logger.debug(
            "deduplication table loaded",
            metadata: ["index.objects": "\(objects.count)", "dedup.known": "\(known.count)"]
        )
        return DedupSet(known: known, packs: packs, claimCapacity: min(capacity - known.count, capacity / 8))
    }
}
