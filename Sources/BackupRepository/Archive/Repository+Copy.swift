import Foundation
import Logging

extension Repository {
    /// Copies restore points, with the tree nodes and blocks they reference, into a linked repository
    /// (see ``createLinked(store:password:source:options:logger:)``), carrying only the blocks the destination's
    /// index does not list already: the first copy into an empty archive is a full one, later ones carry the
    /// changes.
    ///
    /// Stored blocks move unchanged (their seal binds their ID and flags, not their pack), authenticated on the
    /// way. Blocks are handled in groups by ID so that one group's index entries of both repositories fit
    /// `options.memoryBudget`; each group walks the trees again. Packs come first, then index objects naming
    /// only stored packs, and the restore points last: a copy stopped at any point leaves a valid destination,
    /// and running it again finishes the job (restore points already there are left alone). Holds a shared lock
    /// on both repositories.
    /// - Throws: ``RepositoryError`` with ``RepositoryError/Code/notLinked`` when the repositories do not share
    ///   their keys, ``RepositoryError/Code/restorePointNotFound`` for an unknown restore point.
    public func copy(
        restorePoints ids: [RestorePointID],
        to destination: Repository,
        options: CopyOptions = CopyOptions()
    ) async throws -> CopyReport {
        try checkLinked(to: destination)
        let started = ContinuousClock.now
        return try await withLock(.shared, purpose: "copy", options: options.lock, logger: logger) { sourceLock in
            try await destination.withLock(.shared, purpose: "copy", options: options.lock, logger: logger) { _ in
                var report = try await copyUnderLocks(ids, to: destination, options: options, sourceLock: sourceLock)
                report.seconds = (ContinuousClock.now - started).inSeconds
                return report
            }
        }
    }

    private func copyUnderLocks(
        _ ids: [RestorePointID],
        to destination: Repository,
        options: CopyOptions,
        sourceLock: LockHandle
    ) async throws -> CopyReport {
        var report = CopyReport()
        let present = Set(try await destination.listRestorePointIDs())
        var points: [RestorePoint] = []
        for id in Set(ids).sorted() {
            let point = try await restorePoint(id)
            if present.contains(id) {
                report.restorePointsPresent.append(id.hex)
            } else {
                points.append(point)
            }
        }
        points = points.inRestorePointOrder()
        guard !points.isEmpty else { return report }

        let sourceIndex = try await listIndexObjects()
        let destinationIndex = try await destination.listIndexObjects()
        var entries = 0
        for key in sourceIndex { entries += try await readIndexObject(key).locations.count }
        for key in destinationIndex { entries += try await destination.readIndexObject(key).locations.count }
        let groups = PackGroups(indexEntries: entries, budget: options.memoryBudget, bytesPerEntry: 128)
        report.passes = groups.count
        logger.debug(
            "copy.start",
            metadata: [
                "copy.points": "\(points.count)", "copy.passes": "\(groups.count)",
                "copy.destination": "\(destination.location)",
            ]
        )

        var writer = CopyPackWriter(destination: destination)
        for group in 0..<groups.count {
            let inGroup = { (id: BlockID) in groups.group(ofBlock: id) == group }
            var held = SortedBlockIDs()
            for key in destinationIndex {
                for location in try await destination.readIndexObject(key).locations where inGroup(location.entry.id) {
                    held.add(location.entry.id)
                }
            }
            held.seal()
            var locations = SortedLocations()
            for key in sourceIndex {
                for location in try await readIndexObject(key).locations where inGroup(location.entry.id) {
                    locations.add(location)
                }
            }
            locations.seal()
            let wanted = try await wantedBlocks(
                of: points,
                inGroup: inGroup,
                held: held,
                locations: locations,
                sourceLock: sourceLock,
                report: &report
            )
            try await copyBlocks(wanted, into: &writer, options: options, sourceLock: sourceLock, report: &report)
        }
        try await writer.finish(report: &report)

        // Every block of every chosen restore point is now indexed in the destination: publish them.
        for point in points {
            try sourceLock.checkHeld()
            try LockHandle.checkpoint()
            let key = point.id.objectKey
            let sealed = try await fetch(key, maxBytes: ObjectSizeLimits.restorePoint, purpose: "restore point")
            guard cipher.openMetadata(sealed, aad: Array(key.utf8)) != nil else {
                throw RepositoryError.damaged(
                    key,
                    location: location,
                    "it failed authentication (altered or truncated)"
                )
            }
            do {
                try await destination.store.put(key, contents: sealed, mode: .createOnly)
                report.restorePointsCopied.append(point.id.hex)
            } catch let error as ObjectStoreError where error.code == .alreadyExists {
                report.restorePointsPresent.append(point.id.hex)
            }
        }
        logger.info(
            "copy.done",
            metadata: [
                "copy.points": "\(report.restorePointsCopied.count)", "copy.blocks": "\(report.blocksCopied)",
                "copy.nodes": "\(report.nodesCopied)", "copy.bytes": "\(report.bytesCopied)",
            ]
        )
        return report
    }

    /// Walks the trees of `points` and returns, by source pack, the blocks and nodes of the group that the
    /// destination does not hold, each once.
    private func wantedBlocks(
        of points: [RestorePoint],
        inGroup: (BlockID) -> Bool,
        held: SortedBlockIDs,
        locations: SortedLocations,
        sourceLock: LockHandle,
        report: inout CopyReport
    ) async throws -> [PackID: [PackEntry]] {
        var wanted: [PackID: [PackEntry]] = [:]
        var scheduled: Set<BlockID> = []
        var visited: Set<BlockID> = []
        func consider(_ ref: BlockRef) throws {
            guard inGroup(ref.id) else { return }
            if held.contains(ref.id) {
                report.blocksPresent += 1
                return
            }
            guard scheduled.insert(ref.id).inserted else { return }
            guard let location = locations.location(of: ref.id) ?? ref.hint else {
                throw RepositoryError(
                    .missingObject,
                    "block \(ref.id.hex) is in no index object of the repository at \(location), so it cannot be "
                        + "copied; run `nimbus repo verify` there (and `nimbus repo index rebuild` if it advises so)"
                )
            }
            wanted[location.pack, default: []].append(location.entry)
        }
        for point in points {
            for stored in point.treeRoots {
                guard let root = stored.ref else {
                    throw RepositoryError.damaged(
                        point.id.objectKey,
                        location: location,
                        "its root node ID is not valid"
                    )
                }
                var stack = [root]
                while let ref = stack.popLast() {
                    guard visited.insert(ref.id).inserted else { continue }
                    try sourceLock.checkHeld()
                    try LockHandle.checkpoint()
                    try consider(ref)
                    let node = try await loadNode(ref)
                    for entry in node.entries {
                        if node.level > 0 {
                            stack.append(entry.ref)
                        } else {
                            try consider(entry.ref)
                        }
                    }
                }
            }
        }
        return wanted
    }

    /// Reads the wanted blocks pack by pack, in runs of neighbouring blocks, authenticates each one and hands
    /// it, still sealed, to the destination's writer.
    private func copyBlocks(
        _ wanted: [PackID: [PackEntry]],
        into writer: inout CopyPackWriter,
        options: CopyOptions,
        sourceLock: LockHandle,
        report: inout CopyReport
    ) async throws {
        for (pack, unsorted) in wanted.sorted(by: { $0.key < $1.key }) {
            let key = pack.objectKey
            let entries = unsorted.sorted { $0.offset < $1.offset }
            var start = 0
            while start < entries.count {
                try sourceLock.checkHeld()
                try LockHandle.checkpoint()
                let first = Int64(entries[start].offset)
                var end = start + 1
                var runEnd = first + Int64(entries[start].storedLength)
                while end < entries.count {
                    let next = entries[end]
                    let nextEnd = Int64(next.offset) + Int64(next.storedLength)
                    guard Int64(next.offset) - runEnd <= 1 << 20, nextEnd - first <= Int64(options.readRunBytes) else {
                        break
                    }
                    runEnd = max(runEnd, nextEnd)
                    end += 1
                }
                let run = try await fetch(
                    key,
                    range: first..<runEnd,
                    maxBytes: Int(runEnd - first),
                    purpose: "copying its blocks"
                )
                report.bytesRead += Int64(run.count)
                for entry in entries[start..<end] {
                    let from = Int(Int64(entry.offset) - first)
                    let to = from + Int(entry.storedLength)
                    guard to <= run.count else {
                        throw RepositoryError.damaged(
                            key,
                            location: location,
                            "block \(entry.id.hex) lies past its end"
                        )
                    }
                    let sealed = run.subdata(in: run.startIndex + from..<run.startIndex + to)
                    guard authentic(sealed, entry) else {
                        throw RepositoryError.damaged(
                            key,
                            location: location,
                            "block \(entry.id.hex) at offset \(entry.offset) failed authentication, so it was not "
                                + "copied; run `nimbus repo verify --full`"
                        )
                    }
                    let block = BlockCodec.Encoded(
                        id: entry.id,
                        flags: entry.flags,
                        rawLength: Int(entry.rawLength),
                        sealed: sealed
                    )
                    try await writer.add(block, report: &report)
                }
                start = end
            }
        }
    }

    /// Whether a stored block opens under its ID and flags: the seal alone when encrypted (no decompression),
    /// the plaintext's identity when not.
    private func authentic(_ sealed: Data, _ entry: PackEntry) -> Bool {
        if cipher.keys.isEncrypted {
            return cipher.openBlock(sealed, id: entry.id, flags: entry.flags.rawValue) != nil
        }
        return codec.decode(
            sealed,
            id: entry.id,
            flags: entry.flags,
            rawLength: Int(entry.rawLength),
            verifyIdentity: true
        ) != nil
    }
}
