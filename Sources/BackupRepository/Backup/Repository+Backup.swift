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
        let input = VMDiskBackupInput(
            slot: .os,
            source: source,
            changedRanges: options.changedRanges,
            allocatedRanges: options.allocatedRanges
        )
        return try await backupVM(disks: [input], configuration: nil, options: options)
    }
}
