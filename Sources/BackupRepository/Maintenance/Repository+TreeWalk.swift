extension Repository {
    /// Visits the root node, every child node and every data block reference of the tree of every disk of a
    /// restore point.
    ///
    /// Subtrees whose root node ID is already in `visited` are skipped (copy-on-write trees share most
    /// nodes between restore points), and every node visited is added to it.
    /// - Parameters:
    ///   - point: the restore point.
    ///   - visited: node IDs already walked.
    ///   - visit: called with each reference and whether it names a tree node.
    /// - Throws: ``RepositoryError`` naming the object when a node cannot be read.
    func walkTree(
        of point: RestorePoint,
        visited: inout Set<BlockID>,
        visit: (BlockRef, _ isNode: Bool) throws -> Void
    ) async throws {
        // Every disk's tree: a VM restore point references the blocks of all of its disks.
        var stack = try point.disks.reversed().compactMap { try point.rootRef(of: $0, location: location) }
        while let ref = stack.popLast() {
            guard visited.insert(ref.id).inserted else { continue }
            try visit(ref, true)
            let node = try await loadNode(ref)
            for entry in node.entries {
                if node.level > 0 {
                    stack.append(entry.ref)
                } else {
                    try visit(entry.ref, false)
                }
            }
        }
    }
}
