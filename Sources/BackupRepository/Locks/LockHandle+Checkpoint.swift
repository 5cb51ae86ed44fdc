extension LockHandle {
    /// The lock held by the repository operation running in this task (and its child tasks), if any.
    @TaskLocal static var current: LockHandle?

    /// A cancellation point of a repository operation: throws `CancellationError` when the task is
    /// cancelled, and ``LockError`` with code ``LockError/Code/lost`` when the lock the operation
    /// holds was lost. The loops of backup, restore, verify, forget and prune call it once per step.
    static func checkpoint() throws {
        try Task.checkCancellation()
        try current?.checkHeld()
    }
}
