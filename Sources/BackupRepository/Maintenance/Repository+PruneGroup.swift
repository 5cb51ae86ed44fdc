import Foundation
import Logging

extension Repository {
    /// Marks, decides and acts for one group of packs.
    func collectGroup(
        _ group: Int,
        of groups: PackGroups,
        points: [RestorePoint],
        packsInStore: [PackID: ObjectInfo],
        keep: Set<PackID>,
        protectedSince: Date,
        options: PruneOptions,
        lock: LockHandle?,
        report: inout PruneReport,
        logger: Logger
    ) async throws {
        // Mark: the group's index entries, then every reference of every restore point.
        var table = MarkTable()
        for key in try await listIndexObjects() {
            for location in try await readIndexObject(key).locations where groups.group(of: location.pack) == group {
                table.add(location)
            }
        }
        table.seal()
        var visited: Set<BlockID> = []
        for point in points {
            try LockHandle.checkpoint()
            try await walkTree(of: point, visited: &visited) { ref, _ in table.mark(ref.id) }
        }
        table.chooseCopies { packsInStore[$0] != nil }
        report.liveBlocks += table.liveBlocks
        report.unusedBlocks += table.unusedEntries

        // Decide, pack by pack; then keep each block in a pack that stays whenever one holds it, so that
        // copies left by an interrupted prune are not copied a third time (see MarkTable.preferCopies).
        let exists = { (pack: PackID) in packsInStore[pack] != nil }
        var decision = decide(
            table.usage(),
            group: group,
            of: groups,
            packsInStore: packsInStore,
            keep: keep,
            protectedSince: protectedSince,
            options: options
        )
        if table.preferCopies(outside: decision.removed, exists: exists) {
            decision = decide(
                table.usage(),
                group: group,
                of: groups,
                packsInStore: packsInStore,
                keep: keep,
                protectedSince: protectedSince,
                options: options
            )
        }
        let doomed = decision.doomed
        let repack = decision.repack
        report.packsProtected += decision.protected
        report.packsDeleted += doomed.count
        report.packsRepacked += repack.count
        report.bytesDeleted += (doomed + Array(repack)).reduce(0) { $0 + (packsInStore[$1]?.size ?? 0) }
        logger.debug(
            "prune.group",
            metadata: [
                "prune.group": "\(group)", "prune.delete": "\(doomed.count)", "prune.repack": "\(repack.count)",
            ]
        )
        if options.dryRun || (doomed.isEmpty && repack.isEmpty) { return }

        // Act: copy live blocks, index the copies, drop old index entries, delete old packs.
        try lock?.checkHeld()
        let offsets = table.keptOffsets(in: repack)
        let written = try await repackBlocks(offsets, report: &report, logger: logger)
        if !written.isEmpty {
            try await writeIndexObject(IndexObject(locations: written))
            report.indexObjectsWritten += 1
        }
        let removed = Set(doomed).union(repack)
        try await rewriteIndex(dropping: removed, lock: lock, report: &report)
        try lock?.checkHeld()
        for pack in removed.sorted() {
            try LockHandle.checkpoint()
            try await store.delete(pack.objectKey)
        }
    }

    /// The packs of `group` to delete (no kept block) and to repack (kept bytes below the threshold),
    /// leaving alone packs modified at or after `protectedSince` and the packs of `keep` (counted in
    /// `protected`).
    func decide(
        _ usage: [PackID: PackUsage],
        group: Int,
        of groups: PackGroups,
        packsInStore: [PackID: ObjectInfo],
        keep: Set<PackID> = [],
        protectedSince: Date,
        options: PruneOptions
    ) -> PruneDecision {
        var decision = PruneDecision()
        for (pack, info) in packsInStore where groups.group(of: pack) == group {
            let used = usage[pack] ?? PackUsage()
            let ratio = info.size > 0 ? Double(used.liveBytes) / Double(info.size) : 0
            let wanted = used.liveEntries == 0 || ratio < options.repackBelowLiveRatio
            guard wanted else { continue }
            if info.modified >= protectedSince || keep.contains(pack) {
                decision.protected += 1
            } else if used.liveEntries == 0 {
                decision.doomed.append(pack)
            } else {
                decision.repack.insert(pack)
            }
        }
        decision.doomed.sort()
        return decision
    }

    /// Copies the blocks at `offsets` of each pack into new packs and returns their new locations.
    func repackBlocks(
        _ offsets: [PackID: Set<UInt32>],
        report: inout PruneReport,
        logger: Logger
    ) async throws -> [BlockLocation] {
        var written: [BlockLocation] = []
        // Data blocks and tree nodes go to separate packs, as a backup writes them: an archive's data packs
        // are in the archive tier, its tree packs online.
        let capacity = config.packTargetSize + 2 * config.blockSize
        var builders = [PackBuilder(capacity: capacity), PackBuilder(capacity: capacity)]
        func flush(_ kind: Int) async throws {
            guard !builders[kind].isEmpty else { return }
            let contents = try builders[kind].finish(cipher: cipher)
            try await putPack(builders[kind].id, contents: contents, kind: kind == 1 ? .treeNode : [])
            report.packsWritten += 1
            report.bytesWritten += Int64(contents.count)
            builders[kind] = PackBuilder(capacity: capacity)
        }
        for (pack, wanted) in offsets.sorted(by: { $0.key < $1.key }) {
            try LockHandle.checkpoint()
            let key = pack.objectKey
            let entries = try await readPackTrailer(pack)
            let contents = try await fetch(key, maxBytes: ObjectSizeLimits.pack(config), purpose: "repacking it")
            for entry in entries where wanted.contains(entry.offset) {
                let start = Int(entry.offset)
                let end = start + Int(entry.storedLength)
                guard end <= contents.count else {
                    throw RepositoryError.damaged(key, location: location, "block \(entry.id.hex) lies past its end")
                }
                let sealed = contents.subdata(in: start..<end)
                guard
                    codec.decode(
                        sealed,
                        id: entry.id,
                        flags: entry.flags,
                        rawLength: Int(entry.rawLength),
                        verifyIdentity: false
                    ) != nil
                else {
                    throw RepositoryError.damaged(
                        key,
                        location: location,
                        "block \(entry.id.hex) at offset \(entry.offset) failed authentication; nothing was "
                            + "deleted. Run `nimbus repo verify --full`"
                    )
                }
                let encoded = BlockCodec.Encoded(
                    id: entry.id,
                    flags: entry.flags,
                    rawLength: Int(entry.rawLength),
                    sealed: sealed
                )
                let kind = entry.flags.contains(.treeNode) ? 1 : 0
                written.append(builders[kind].append(encoded))
                if builders[kind].size >= config.packTargetSize { try await flush(kind) }
            }
            logger.trace("prune.repacked", metadata: ["prune.pack": "\(key)"])
        }
        try await flush(0)
        try await flush(1)
        return written
    }

    /// Replaces every index object that names a pack of `removed` by one without those entries
    /// (written first), then deletes the old object.
    func rewriteIndex(dropping removed: Set<PackID>, lock: LockHandle?, report: inout PruneReport) async throws {
        for key in try await listIndexObjects() {
            let object = try await readIndexObject(key)
            guard object.locations.contains(where: { removed.contains($0.pack) }) else { continue }
            let remaining = object.locations.filter { !removed.contains($0.pack) }
            if !remaining.isEmpty {
                try await writeIndexObject(IndexObject(locations: remaining))
                report.indexObjectsWritten += 1
            }
            try lock?.checkHeld()
            try await store.delete(key)
            report.indexObjectsDeleted += 1
        }
    }
}
