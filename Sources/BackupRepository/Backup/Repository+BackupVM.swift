import Foundation
import Logging

extension Repository {
    /// Backs up the disks of a VM (or any set of disks) into one new restore point holding every disk and,
    /// when given, the VM's configuration.
    ///
    /// Each disk is read as ``backup(source:options:)`` reads one: with `options.parent` and the disk's
    /// ``VMDiskBackupInput/changedRanges``, only blocks overlapping them are read and the rest is inherited
    /// from the disk in the same slot of the parent; otherwise the disk is read in full (only its
    /// ``VMDiskBackupInput/allocatedRanges`` when given). `options.changedRanges` and
    /// `options.allocatedRanges` are not used: each disk carries its own. Disks are read one after another
    /// through one pipeline, one deduplication table and one shared lock; `options.progress` reports the
    /// totals of all disks and the disk being read. The restore point is written last, with all its disks at
    /// once: interrupted at any point, the backup leaves no restore point.
    /// - Throws: ``RepositoryError`` with ``RepositoryError/Code/invalidArgument`` when there is no disk,
    ///   a slot is given twice, or a disk is missing from `configuration`; otherwise as
    ///   ``backup(source:options:)``.
    public func backupVM(
        disks: [VMDiskBackupInput],
        configuration: VMConfiguration?,
        options: BackupOptions = BackupOptions()
    ) async throws -> BackupResult {
        try Self.check(disks, against: configuration)
        return try await withLock(.shared, purpose: "backup", options: options.lockOptions, logger: logger) { lock in
            try await backupDisks(
                disks.sorted { $0.slot < $1.slot },
                configuration: configuration,
                options: options,
                lock: lock
            )
        }
    }

    private static func check(_ disks: [VMDiskBackupInput], against configuration: VMConfiguration?) throws {
        guard !disks.isEmpty else {
            throw RepositoryError(.invalidArgument, "a backup needs at least one disk; give the VM's OS disk or a LUN")
        }
        var seen: Set<VMDiskSlot> = []
        for disk in disks where !seen.insert(disk.slot).inserted {
            throw RepositoryError(.invalidArgument, "disk \(disk.slot) is given twice; give each slot once")
        }
        guard let configuration, !configuration.disks.isEmpty else { return }
        let described = Set(configuration.disks.map(\.slot))
        for disk in disks where !described.contains(disk.slot) {
            let known = configuration.disks.map(\.slot.description).joined(separator: ", ")
            throw RepositoryError(
                .invalidArgument,
                "disk \(disk.slot) is not one of the disks of VM \(configuration.name) (\(known)); "
                    + "add it to the VM configuration or leave it out"
            )
        }
    }

    /// What one disk's backup reads and starts from.
    private struct DiskPlan {
        var input: VMDiskBackupInput
        var geometry: TreeGeometry
        var intervals: [Range<Int64>]
        var parentRoot: BlockRef?
    }

    private func plan(_ input: VMDiskBackupInput, parent: RestorePoint?) throws -> DiskPlan {
        let size = input.source.size
        let geometry = TreeGeometry(diskSize: size, blockSize: config.blockSize, fanout: config.treeFanout)
        // Changed ranges come from outside: check them before any arithmetic is done with them.
        let changed = try input.changedRanges.map { try ChangedRanges(validating: $0, diskSize: size) }
        let previous = parent?.disks.first { $0.slot == input.slot }
        if let parent, let previous, let changed, previous.size == size, previous.blockSize == config.blockSize,
            previous.treeFanout == config.treeFanout
        {
            return DiskPlan(
                input: input,
                geometry: geometry,
                intervals: changed.ranges.blockIntervals(blockSize: config.blockSize, blockCount: geometry.blockCount),
                parentRoot: try parent.rootRef(of: previous, location: location)
            )
        }
        let intervals =
            input.allocatedRanges?.blockIntervals(blockSize: config.blockSize, blockCount: geometry.blockCount)
            ?? [0..<geometry.blockCount]
        return DiskPlan(input: input, geometry: geometry, intervals: intervals, parentRoot: nil)
    }

    /// The backup itself, under `lock`.
    private func backupDisks(
        _ inputs: [VMDiskBackupInput],
        configuration: VMConfiguration?,
        options: BackupOptions,
        lock: LockHandle
    ) async throws -> BackupResult {
        let started = ContinuousClock.now
        let pointID = RestorePointID.random()
        var logger = self.logger
        logger[metadataKey: "restore_point.id"] = "\(pointID)"
        var parent: RestorePoint?
        if let parentID = options.parent { parent = try await restorePoint(parentID) }
        let plans = try inputs.map { try plan($0, parent: parent) }

        let dedup = try await loadDedupSet(capacity: max(0, options.dedupCapacity))
        var writer = BackupWriter(repository: self)
        let blockSize = Int64(config.blockSize)
        for plan in plans {
            let size: Int64 = plan.geometry.diskSize
            writer.statistics.diskSize += size
            var toRead: Int64 = 0
            for interval in plan.intervals {
                let end: Int64 = min(interval.upperBound * blockSize, size)
                toRead += end - interval.lowerBound * blockSize
            }
            writer.statistics.bytesToRead += toRead
            let examined: Int64 = BlockWork(intervals: plan.intervals).count
            writer.statistics.blocksSkipped += plan.geometry.blockCount - examined
        }
        writer.statistics.disks = plans.count
        logger.debug(
            "backup started",
            metadata: ["disks": "\(plans.count)", "bytes.to_read": "\(writer.statistics.bytesToRead)"]
        )

        var disks: [RestorePointDisk] = []
        var lastReport = ContinuousClock.now
        for plan in plans {
            writer.statistics.currentDisk = plan.input.slot
            let root: BlockRef?
            do {
                root = try await backupDisk(
                    source: plan.input.source,
                    geometry: plan.geometry,
                    intervals: plan.intervals,
                    parentRoot: plan.parentRoot,
                    dedup: dedup,
                    options: options,
                    writer: &writer,
                    lastReport: &lastReport
                )
            } catch {
                // Stopped early (cancelled, or a read or upload failed): index what is stored, for a rerun to reuse.
                await writer.flushIndexAfterFailure()
                throw error
            }
            disks.append(
                RestorePointDisk(
                    slot: plan.input.slot,
                    size: plan.geometry.diskSize,
                    blockSize: config.blockSize,
                    treeFanout: config.treeFanout,
                    root: root.map { RestorePoint.StoredRef($0) }
                )
            )
            writer.statistics.disksDone += 1
        }
        writer.statistics.currentDisk = nil

        // Everything read: store the last packs, index them, then publish the restore point.
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
            id: pointID,
            created: options.now(),
            disks: disks,
            vm: configuration,
            parent: options.parent,
            metadata: options.metadata,
            statistics: writer.statistics
        )
        let pointBytes = try await writeRestorePoint(point)
        writer.statistics.metadataBytesWritten += Int64(pointBytes)
        point.statistics = writer.statistics
        index.invalidate()
        options.progress?(writer.statistics)
        let seconds = (ContinuousClock.now - started).inSeconds
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
