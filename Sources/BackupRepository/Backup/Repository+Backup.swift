import Foundation
import Logging

extension Repository {
    /// Backs up a disk and writes a new restore point: a complete view of the disk.
    ///
    /// With `options.parent` and `options.changedRanges`, only blocks overlapping the ranges are read and the
    /// rest is inherited from the parent; tree nodes are rewritten only along changed paths. Otherwise every
    /// block (or every block overlapping `options.allocatedRanges`) is read. Blocks are read, identified,
    /// compressed and sealed in parallel with at most `options.concurrency` blocks in flight; packs are
    /// uploaded while later blocks are processed. The restore point object is written last: a backup
    /// interrupted at any point leaves no restore point and a valid repository, and a rerun skips the blocks
    /// of packs already indexed.
    ///
    /// Holds a shared lock of the repository throughout (taken with `options.lockOptions`), so that no prune
    /// deletes blocks this backup references. Cancelling the task, or losing the lock, stops the backup at its
    /// next block and before the restore point is written.
    /// - Throws: ``LockError`` when a prune holds the repository or the lock was lost; `CancellationError`
    ///   when the task was cancelled; ``RepositoryError`` otherwise.
    public func backup(source: some DiskSource, options: BackupOptions = BackupOptions()) async throws -> BackupResult {
        try await withLock(.shared, purpose: "backup", options: options.lockOptions, logger: logger) { lock in
            try await backup(source: source, options: options, lock: lock)
        }
    }

    /// The backup itself, under `lock`.
    private func backup(
        source: some DiskSource,
        options: BackupOptions,
        lock: LockHandle
    ) async throws -> BackupResult {
        let started = ContinuousClock.now
        let pointID = RestorePointID.random()
        let geometry = TreeGeometry(diskSize: source.size, blockSize: config.blockSize, fanout: config.treeFanout)
        var logger = self.logger
        logger[metadataKey: "restore_point.id"] = "\(pointID)"

        // Choose what to read and what the tree starts from. Changed ranges come from outside: check them
        // before any arithmetic is done with them.
        let changedRanges = try options.changedRanges.map { try ChangedRanges(validating: $0, diskSize: source.size) }
        var parentRoot: BlockRef?
        var intervals = [0..<geometry.blockCount]
        if let parentID = options.parent {
            let parent = try await restorePoint(parentID)
            let sameShape =
                parent.diskSize == source.size && parent.blockSize == config.blockSize
                && parent.treeFanout == config.treeFanout
            if sameShape, let changed = changedRanges?.ranges {
                if let root = parent.root {
                    guard let ref = root.ref else {
                        throw RepositoryError.damaged(parentID.objectKey, location: location, "its root is invalid")
                    }
                    parentRoot = ref
                }
                intervals = changed.blockIntervals(blockSize: config.blockSize, blockCount: geometry.blockCount)
            } else if let allocated = options.allocatedRanges {
                intervals = allocated.blockIntervals(blockSize: config.blockSize, blockCount: geometry.blockCount)
            }
        } else if let allocated = options.allocatedRanges {
            intervals = allocated.blockIntervals(blockSize: config.blockSize, blockCount: geometry.blockCount)
        }
        var work = BlockWork(intervals: intervals)
        let workCount = work.count

        let dedup = try await loadDedupSet(capacity: max(0, options.dedupCapacity))
        logger.debug(
            "backup started",
            metadata: ["blocks.total": "\(geometry.blockCount)", "blocks.to_read": "\(workCount)"]
        )

        var writer = BackupWriter(repository: self)
        writer.statistics.diskSize = source.size
        writer.statistics.bytesToRead = intervals.reduce(0) { total, interval in
            total + min(interval.upperBound * Int64(config.blockSize), source.size)
                - interval.lowerBound * Int64(config.blockSize)
        }
        writer.statistics.blocksSkipped = geometry.blockCount - workCount
        var tree = TreeBuilder(geometry: geometry, parentRoot: parentRoot)
        let codec = self.codec
        let store = self.store
        let blockSize = Int64(config.blockSize)
        let window = max(1, options.concurrency)
        let buffers = BufferPool(size: config.blockSize)
        let uploadLimit = max(1, options.uploadConcurrency)
        var lastReport = ContinuousClock.now

        do {
            try await withThrowingTaskGroup(of: PipelineEvent.self) { group in
                var sequence = 0
                var nextToConsume = 0
                var blocksInFlight = 0
                var uploadsInFlight = 0
                var waitingPacks: [FinishedPack] = []
                var finished: [Int: (index: Int64, length: Int, outcome: BlockOutcome)] = [:]

                func startUploads() {
                    while uploadsInFlight < uploadLimit, !waitingPacks.isEmpty {
                        let pack = waitingPacks.removeFirst()
                        uploadsInFlight += 1
                        group.addTask {
                            try await store.put(pack.id.objectKey, contents: pack.contents)
                            return .stored(.init(id: pack.id, entries: pack.entries))
                        }
                    }
                }

                func startBlocks() {
                    // Backpressure: read nothing more while finished packs wait for an upload slot.
                    while blocksInFlight < window, waitingPacks.isEmpty, let index = work.next() {
                        let current = sequence
                        sequence += 1
                        blocksInFlight += 1
                        let length = geometry.length(ofBlock: index)
                        group.addTask {
                            try LockHandle.checkpoint()
                            let outcome = try await buffers.withBuffer { buffer -> BlockOutcome in
                                let target = UnsafeMutableRawBufferPointer(rebasing: buffer.memory[0..<length])
                                try await source.read(at: index * blockSize, into: target)
                                let raw = UnsafeRawBufferPointer(target)
                                if isAllZero(raw) { return .zero }
                                let id = codec.identity(of: raw)
                                switch dedup.claim(id, rawLength: raw.count) {
                                case .store: return .new(try codec.encode(raw, id: id))
                                case .exists(let hint): return .existing(id, hint)
                                }
                            }
                            return .block(sequence: current, index: index, length: length, outcome: outcome)
                        }
                    }
                }

                startBlocks()
                while let event = try await group.next() {
                    try LockHandle.checkpoint()
                    switch event {
                    case .stored(let pack):
                        uploadsInFlight -= 1
                        try await writer.packStored(pack)
                    case .block(let current, let index, let length, let outcome):
                        blocksInFlight -= 1
                        finished[current] = (index, length, outcome)
                        while let item = finished.removeValue(forKey: nextToConsume) {
                            nextToConsume += 1
                            writer.statistics.bytesRead += Int64(item.length)
                            switch item.outcome {
                            case .zero:
                                writer.statistics.blocksZero += 1
                                try await tree.set(block: item.index, to: nil, store: &writer)
                            case .existing(let id, let hint):
                                writer.statistics.blocksDeduplicated += 1
                                let ref = BlockRef(id: id, rawLength: UInt32(item.length), hint: hint)
                                try await tree.set(block: item.index, to: ref, store: &writer)
                            case .new(let encoded):
                                writer.statistics.blocksNew += 1
                                let (location, full) = try writer.add(encoded)
                                dedup.stored(location)
                                if let full { waitingPacks.append(full) }
                                let ref = BlockRef(id: encoded.id, rawLength: UInt32(encoded.rawLength), hint: location)
                                try await tree.set(block: item.index, to: ref, store: &writer)
                            }
                        }
                    }
                    try await writer.flushIndexIfDue()
                    startUploads()
                    startBlocks()
                    if let progress = options.progress, ContinuousClock.now - lastReport > .milliseconds(100) {
                        lastReport = ContinuousClock.now
                        progress(writer.statistics)
                    }
                }
            }
        } catch {
            // Stopped early (cancelled, or a read or upload failed): index what is stored, for a rerun to reuse.
            await writer.flushIndexAfterFailure()
            throw error
        }

        // Everything read: close the tree, store the last packs, index them, then publish the restore point.
        let root = try await tree.finish(store: &writer)
        if let last = try writer.finishDataPack() {
            try await store.put(last.id.objectKey, contents: last.contents)
            try await writer.packStored(.init(id: last.id, entries: last.entries))
        }
        try await writer.finishTreePack()
        try await writer.flushIndex()
        // The last step publishes the restore point: never after the lock was lost (a prune may have judged it
        // stale and deleted blocks this restore point references) or after the task was cancelled.
        try Task.checkCancellation()
        try lock.checkHeld()
        var point = RestorePoint(
            version: 1,
            id: pointID,
            created: options.now(),
            diskSize: source.size,
            blockSize: config.blockSize,
            treeFanout: config.treeFanout,
            root: root.map { RestorePoint.StoredRef($0) },
            parent: options.parent,
            metadata: options.metadata,
            statistics: writer.statistics
        )
        let pointBytes = try await writeRestorePoint(point)
        writer.statistics.metadataBytesWritten += Int64(pointBytes)
        point.statistics = writer.statistics
        index.invalidate()
        options.progress?(writer.statistics)
        let duration = ContinuousClock.now - started
        let seconds = duration.inSeconds
        logger.debug(
            "backup finished",
            metadata: [
                "bytes.read": "\(writer.statistics.bytesRead)", "bytes.stored": "\(writer.statistics.bytesStored)",
                "blocks.new": "\(writer.statistics.blocksNew)", "duration.seconds": "\(seconds)",
            ]
        )
        return BackupResult(restorePoint: point, statistics: writer.statistics, duration: seconds)
    }
}
