/// The index entries of one group of packs, with a live mark each: the mark phase's working set.
///
/// Each entry costs ``bytesPerEntry`` bytes: half of the block ID (128 bits, enough to tell blocks apart),
/// the pack (an ordinal), the offset and length, and the marks. Lookups are binary searches.
struct MarkTable {
    struct Entry {
        var w0: UInt64
        var w1: UInt64
        var pack: UInt32
        var offset: UInt32
        var length: UInt32
        var live = false
        var kept = false
    }

    /// Memory per entry, used to size groups.
    static let bytesPerEntry = MemoryLayout<Entry>.stride

    private(set) var packs: [PackID] = []
    private var ordinals: [PackID: UInt32] = [:]
    private(set) var entries: [Entry] = []

    /// Adds one index entry.
    mutating func add(_ location: BlockLocation) {
        let ordinal: UInt32
        if let known = ordinals[location.pack] {
            ordinal = known
        } else {
            ordinal = UInt32(packs.count)
            ordinals[location.pack] = ordinal
            packs.append(location.pack)
        }
        entries.append(
            Entry(
                w0: location.entry.id.w0,
                w1: location.entry.id.w1,
                pack: ordinal,
                offset: location.entry.offset,
                length: location.entry.storedLength
            )
        )
    }

    /// Sorts the entries and removes repeats of the same block at the same place (an index object
    /// and its replacement both present after an interrupted prune).
    mutating func seal() {
        entries.sort { a, b in
            (a.w0, a.w1, a.pack, a.offset) < (b.w0, b.w1, b.pack, b.offset)
        }
        var unique: [Entry] = []
        unique.reserveCapacity(entries.count)
        for entry in entries {
            if let last = unique.last, last.w0 == entry.w0, last.w1 == entry.w1, last.pack == entry.pack,
                last.offset == entry.offset
            {
                continue
            }
            unique.append(entry)
        }
        entries = unique
    }

    /// The range of entries for a block.
    private func range(of id: BlockID) -> Range<Int> {
        var low = 0
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if (entries[middle].w0, entries[middle].w1) < (id.w0, id.w1) { low = middle + 1 } else { high = middle }
        }
        var end = low
        while end < entries.count && entries[end].w0 == id.w0 && entries[end].w1 == id.w1 { end += 1 }
        return low..<end
    }

    /// Every copy of a block in the table: its pack, offset and stored length.
    func copies(of id: BlockID) -> [(pack: PackID, offset: UInt32, length: UInt32)] {
        range(of: id).map { (packs[Int(entries[$0].pack)], entries[$0].offset, entries[$0].length) }
    }

    /// Marks every copy of a block live; returns whether the table has one.
    @discardableResult
    mutating func mark(_ id: BlockID) -> Bool {
        let found = range(of: id)
        for index in found { entries[index].live = true }
        return !found.isEmpty
    }

    /// Of the copies of each live block, keeps exactly one: the one in the pack that sorts first among
    /// those still in the store (`exists`). The others become duplicates and count as unused.
    mutating func chooseCopies(exists: (PackID) -> Bool) {
        var start = 0
        while start < entries.count {
            var end = start + 1
            while end < entries.count && entries[end].w0 == entries[start].w0 && entries[end].w1 == entries[start].w1 {
                end += 1
            }
            if entries[start].live {
                var best: Int?
                for index in start..<end where exists(packs[Int(entries[index].pack)]) {
                    if let current = best, packs[Int(entries[current].pack)] <= packs[Int(entries[index].pack)] {
                        continue
                    }
                    best = index
                }
                if let best { entries[best].kept = true }
            }
            start = end
        }
    }

    /// Moves the kept copy of every block whose kept copy lies in `leaving` (packs about to be deleted or
    /// repacked) to a copy in an existing pack outside `leaving`, the one in the pack that sorts first.
    ///
    /// Packs outside `leaving` only gain kept bytes and packs inside only lose them, so the decision that
    /// produced `leaving` still holds; a block is then copied by a repack only when no pack that stays
    /// holds it, which leaves exactly one copy of it and makes the next collection choose as this one did.
    /// - Returns: whether any kept copy moved.
    mutating func preferCopies(outside leaving: Set<PackID>, exists: (PackID) -> Bool) -> Bool {
        var moved = false
        var start = 0
        while start < entries.count {
            var end = start + 1
            while end < entries.count && entries[end].w0 == entries[start].w0 && entries[end].w1 == entries[start].w1 {
                end += 1
            }
            defer { start = end }
            guard end - start > 1,
                let kept = (start..<end).first(where: { entries[$0].kept }),
                leaving.contains(packs[Int(entries[kept].pack)])
            else { continue }
            var best: Int?
            for index in start..<end {
                let pack = packs[Int(entries[index].pack)]
                guard !leaving.contains(pack), exists(pack) else { continue }
                if let current = best, packs[Int(entries[current].pack)] <= pack { continue }
                best = index
            }
            guard let best else { continue }
            entries[kept].kept = false
            entries[best].kept = true
            moved = true
        }
        return moved
    }

    /// Per pack: bytes of kept entries, number of entries, number of kept entries.
    func usage() -> [PackID: PackUsage] {
        var result: [PackID: PackUsage] = [:]
        for entry in entries {
            let pack = packs[Int(entry.pack)]
            var usage = result[pack] ?? PackUsage()
            usage.entries += 1
            if entry.kept {
                usage.liveEntries += 1
                usage.liveBytes += Int64(entry.length)
            }
            result[pack] = usage
        }
        return result
    }

    /// The offsets of the kept entries of each of `chosen`, for repacking.
    func keptOffsets(in chosen: Set<PackID>) -> [PackID: Set<UInt32>] {
        var result: [PackID: Set<UInt32>] = [:]
        for entry in entries where entry.kept {
            let pack = packs[Int(entry.pack)]
            if chosen.contains(pack) { result[pack, default: []].insert(entry.offset) }
        }
        return result
    }

    /// Number of distinct live blocks.
    var liveBlocks: Int { entries.count(where: { $0.kept }) }

    /// Number of entries not kept (unused blocks and duplicate copies).
    var unusedEntries: Int { entries.count(where: { !$0.kept }) }
}

/// How much of one pack is still needed.
struct PackUsage: Sendable, Hashable {
    var entries = 0
    var liveEntries = 0
    var liveBytes: Int64 = 0
}
