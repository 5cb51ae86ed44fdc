/// Maps a file's logical blocks to physical blocks, through its extent tree or its old block map.
struct Ext4BlockMap {
    /// One contiguous piece of a file: `count` logical blocks from the asked one, at `physical` (`nil`: a hole
    /// or unwritten extent, reading as zeros).
    struct Run {
        var physical: UInt64?
        var count: UInt64
    }

    /// The deepest extent tree read (ext4 itself allows 5 levels).
    static let maximumDepth = 5

    let superblock: Ext4Superblock
    let source: any ByteSource

    /// The run holding logical block `logical` of `inode`, ending at most at `limit` blocks from it.
    func run(of inode: Ext4Inode, at logical: UInt64, limit: UInt64) async throws -> Run {
        if inode.flags & Ext4Inode.flagExtents != 0 {
            return try await extentRun(inode, logical: logical, limit: limit)
        }
        return try await mappedRun(inode, logical: logical, limit: limit)
    }

    private func readBlock(_ block: UInt64, _ what: @autoclosure () -> String) async throws -> [UInt8] {
        try superblock.check(block: block, what())
        return try await source.read(at: block * UInt64(superblock.blockSize), count: superblock.blockSize)
    }

    // MARK: Extent trees

    private func extentRun(_ inode: Ext4Inode, logical: UInt64, limit: UInt64) async throws -> Run {
        var node = inode.blockArea
        var nodeBlock: UInt64?
        var upper = UInt64.max  // the first logical block not covered by this subtree
        var expectedDepth: Int?
        while true {
            let place = nodeBlock.map { "block \($0)" } ?? "the inode"
            guard node.u16(0) == 0xF30A else {
                throw FileRestoreError(
                    .damaged,
                    "the extent tree of inode \(inode.number) has no F30A magic number in \(place)"
                )
            }
            let entries = Int(node.u16(2))
            let depth = Int(node.u16(6))
            guard 12 + entries * 12 <= node.count, depth <= Self.maximumDepth else {
                throw FileRestoreError(
                    .damaged,
                    "the extent tree of inode \(inode.number) has an invalid node in \(place) "
                        + "(\(entries) entries, depth \(depth))"
                )
            }
            if let expectedDepth, depth != expectedDepth {
                throw FileRestoreError(
                    .damaged,
                    "the extent tree of inode \(inode.number) loops or is inconsistent: the node in \(place) has "
                        + "depth \(depth) where \(expectedDepth) was expected"
                )
            }
            // The last entry starting at or before `logical`.
            var chosen = -1
            for index in 0..<entries where UInt64(node.u32(12 + index * 12)) <= logical { chosen = index }
            let nextStart = chosen + 1 < entries ? UInt64(node.u32(12 + (chosen + 1) * 12)) : upper
            if depth == 0 {
                if chosen >= 0 {
                    let base = 12 + chosen * 12
                    let start = UInt64(node.u32(base))
                    var length = UInt64(node.u16(base + 4))
                    let unwritten = length > 32768
                    if unwritten { length -= 32768 }
                    let physical = UInt64(node.u16(base + 6)) << 32 | UInt64(node.u32(base + 8))
                    if logical < start + length {
                        try superblock.check(block: physical, count: length, "an extent of inode \(inode.number)")
                        let count = min(start + length - logical, limit)
                        return Run(physical: unwritten ? nil : physical + (logical - start), count: count)
                    }
                }
                return Run(physical: nil, count: max(1, min(nextStart &- logical, limit)))
            }
            guard chosen >= 0 else {
                return Run(physical: nil, count: max(1, min(nextStart &- logical, limit)))
            }
            let base = 12 + chosen * 12
            let child = UInt64(node.u16(base + 8)) << 32 | UInt64(node.u32(base + 4))
            upper = nextStart
            expectedDepth = depth - 1
            nodeBlock = child
            node = try await readBlock(child, "an extent index of inode \(inode.number)")
        }
    }

    // MARK: Block maps (ext2/ext3)

    private func mappedRun(_ inode: Ext4Inode, logical: UInt64, limit: UInt64) async throws -> Run {
        let perBlock = UInt64(superblock.blockSize / 4)
        var remaining = logical
        if remaining < 12 {
            let physical = UInt64(inode.blockArea.u32(Int(remaining) * 4))
            return try await leafRun(inode, physical: physical, limit: limit)
        }
        remaining -= 12
        var span: UInt64 = perBlock
        for level in 0..<3 {
            if remaining < span {
                var pointer = UInt64(inode.blockArea.u32((12 + level) * 4))
                var levelSpan = span
                var offset = remaining
                for _ in 0...level {
                    guard pointer != 0 else {
                        return Run(physical: nil, count: max(1, min(levelSpan - offset, limit)))
                    }
                    let table = try await readBlock(pointer, "the block map of inode \(inode.number)")
                    levelSpan /= perBlock
                    let slot = offset / levelSpan
                    offset %= levelSpan
                    pointer = UInt64(table.u32(Int(slot) * 4))
                    if levelSpan == 1 {
                        // A leaf table: extend the run over consecutive pointers.
                        guard pointer != 0 else { return Run(physical: nil, count: 1) }
                        try superblock.check(block: pointer, "the block map of inode \(inode.number)")
                        var count: UInt64 = 1
                        var index = slot + 1
                        while count < limit, index < perBlock, UInt64(table.u32(Int(index) * 4)) == pointer + count {
                            count += 1
                            index += 1
                        }
                        return Run(physical: pointer, count: count)
                    }
                }
            }
            remaining -= span
            let grown = span.multipliedReportingOverflow(by: perBlock)
            guard !grown.overflow else { break }
            span = grown.partialValue
        }
        throw FileRestoreError(.damaged, "inode \(inode.number) is larger than its block map can address")
    }

    private func leafRun(_ inode: Ext4Inode, physical: UInt64, limit: UInt64) async throws -> Run {
        guard physical != 0 else { return Run(physical: nil, count: 1) }
        try superblock.check(block: physical, "the block map of inode \(inode.number)")
        return Run(physical: physical, count: 1)
    }
}
