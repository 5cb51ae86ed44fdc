import Foundation

extension Repository {
    /// Visits every tree node and data block of disk `disk` of a restore point, in disk order, depth first;
    /// with `disk` `nil`, every disk in turn (OS disk first, then by LUN), each starting at block 0.
    ///
    /// Memory is one node per tree level. With `descendInto` returning false for a node, its subtree is
    /// skipped (for example when the node was already visited through another restore point). Holds a
    /// shared lock of the repository (taken with `lockOptions`) while it reads, as a restore does.
    public func walk(
        _ point: RestorePoint,
        disk: VMDiskSlot? = nil,
        lockOptions: LockOptions = LockOptions(),
        descendInto: (BlockRef) -> Bool = { _ in true },
        visit: (TreeItem) async throws -> Void
    ) async throws {
        try await withLock(.shared, purpose: "walk", options: lockOptions, logger: logger) { _ in
            try await walkUnderLock(point, disk: disk, descendInto: descendInto, visit: visit)
        }
    }

    /// ``walk(_:disk:lockOptions:descendInto:visit:)`` under the caller's lock.
    func walkUnderLock(
        _ point: RestorePoint,
        disk slot: VMDiskSlot? = nil,
        descendInto: (BlockRef) -> Bool,
        visit: (TreeItem) async throws -> Void
    ) async throws {
        let disks = try slot.map { [try point.disk($0)] } ?? point.disks
        for disk in disks {
            guard let root = try point.rootRef(of: disk, location: location) else { continue }
            let geometry = disk.geometry
            try await walk(root, level: geometry.depth - 1, firstBlock: 0, geometry: geometry, descendInto, visit)
        }
    }

    private func walk(
        _ ref: BlockRef,
        level: Int,
        firstBlock: Int64,
        geometry: TreeGeometry,
        _ descendInto: (BlockRef) -> Bool,
        _ visit: (TreeItem) async throws -> Void
    ) async throws {
        try LockHandle.checkpoint()
        try await visit(.node(ref, level: level))
        guard descendInto(ref) else { return }
        let node = try await loadNode(ref)
        guard node.level == level else {
            throw RepositoryError(
                .damagedObject,
                "tree node \(ref.id.hex) has level \(node.level) where \(level) was expected; run `nimbus repo verify`"
            )
        }
        let childSpan = geometry.span(level: level) / Int64(geometry.fanout)
        for entry in node.entries {
            let first = firstBlock + Int64(entry.slot) * childSpan
            if level == 0 {
                try await visit(.block(index: first, entry.ref))
            } else {
                try await walk(entry.ref, level: level - 1, firstBlock: first, geometry: geometry, descendInto, visit)
            }
        }
    }

    /// Reads a tree node (under the caller's lock).
    func readNode(_ ref: BlockRef) async throws -> TreeNode {
        try await loadNode(ref)
    }

    /// Reads one block through its reference (hint, else index) and returns its plaintext; with
    /// `verifyIdentity` the plaintext's HMAC is recomputed and compared with the ID (under the caller's lock).
    func readBlock(_ ref: BlockRef, verifyIdentity: Bool) async throws -> Data {
        try await readBlock(ref, purpose: "block \(ref.id.hex)", verifyIdentity: verifyIdentity).0
    }
}
