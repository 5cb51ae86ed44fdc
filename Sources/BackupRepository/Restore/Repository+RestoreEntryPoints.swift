import Foundation

extension Repository {
    /// Restores a whole disk image to a file, writing holes for zero blocks (a sparse file) and setting the
    /// file's size to the disk's size.
    ///
    /// `disk` chooses the disk of a VM restore point; `nil` takes the only disk, and fails with
    /// ``RepositoryError/Code/invalidArgument`` listing the disks when there are several.
    ///
    /// Holds a shared lock of the repository throughout, so that no prune deletes a pack while it is read.
    /// Cancelling the task, or losing the lock, stops the restore at its next run of blocks.
    /// - Parameters:
    ///   - concurrency: The number of blocks fetched and decoded at once.
    ///   - lockOptions: The identity and timing of the shared lock (wait timeout, refresh, clock).
    /// - Throws: ``LockError`` with code ``LockError/Code/locked`` when a prune holds the repository.
    @discardableResult
    public func restore(
        _ id: RestorePointID,
        disk: VMDiskSlot? = nil,
        toFile path: String,
        concurrency: Int = 16,
        lockOptions: LockOptions = LockOptions(),
        progress: (@Sendable (RestoreStatistics) -> Void)? = nil
    ) async throws -> RestoreStatistics {
        try await withLock(.shared, purpose: "restore", options: lockOptions, logger: logger) { _ in
            try await restoreUnderLock(id, disk: disk, toFile: path, concurrency: concurrency, progress: progress)
        }
    }

    /// Streams the bytes of `range` (the whole disk by default) of disk `disk` of a restore point (`nil`: its
    /// only disk) in order, zeros included, in pieces of at most one block, under a shared lock of the
    /// repository (as ``restore(_:disk:toFile:concurrency:lockOptions:progress:)``).
    @discardableResult
    public func restore(
        _ id: RestorePointID,
        disk: VMDiskSlot? = nil,
        range: ByteRange? = nil,
        concurrency: Int = 16,
        lockOptions: LockOptions = LockOptions(),
        to consumer: (Data) async throws -> Void
    ) async throws -> RestoreStatistics {
        try await withLock(.shared, purpose: "restore", options: lockOptions, logger: logger) { _ in
            try await restoreUnderLock(id, disk: disk, range: range, concurrency: concurrency, to: consumer)
        }
    }

    /// Reads the bytes of `range` of disk `disk` of a restore point (`nil`: its only disk) into memory (for
    /// small ranges, such as file-level restore), under a shared lock of the repository.
    public func read(
        _ id: RestorePointID,
        disk: VMDiskSlot? = nil,
        range: ByteRange,
        lockOptions: LockOptions = LockOptions()
    ) async throws -> Data {
        var result = Data()
        result.reserveCapacity(Int(range.length))
        try await restore(id, disk: disk, range: range, lockOptions: lockOptions) { result.append($0) }
        return result
    }
}
