/// A sorted set of block IDs (32 bytes each), filled once and then searched: the blocks one group of a copy's
/// destination already holds.
struct SortedBlockIDs {
    private var ids: [BlockID] = []

    mutating func add(_ id: BlockID) { ids.append(id) }

    /// Sorts and drops duplicates; call once after the last ``add(_:)``.
    mutating func seal() {
        ids.sort()
        var unique: [BlockID] = []
        unique.reserveCapacity(ids.count)
        for id in ids where unique.last != id { unique.append(id) }
        ids = unique
    }

    func contains(_ id: BlockID) -> Bool {
        var low = 0
        var high = ids.count
        while low < high {
            let middle = (low + high) / 2
            if ids[middle] < id { low = middle + 1 } else { high = middle }
        }
        return low < ids.count && ids[low] == id
    }
}

/// Index locations sorted by block ID, filled once and then searched: where one group's blocks live in the
/// source of a copy. Of several copies of a block, the first in pack order is used.
struct SortedLocations {
    private var locations: [BlockLocation] = []

    mutating func add(_ location: BlockLocation) { locations.append(location) }

    /// Sorts; call once after the last ``add(_:)``.
    mutating func seal() {
        locations.sort { ($0.entry.id, $0.pack) < ($1.entry.id, $1.pack) }
    }

    func location(of id: BlockID) -> BlockLocation? {
        var low = 0
        var high = locations.count
        while low < high {
            let middle = (low + high) / 2
            if locations[middle].entry.id < id { low = middle + 1 } else { high = middle }
        }
        return low < locations.count && locations[low].entry.id == id ? locations[low] : nil
    }
}
