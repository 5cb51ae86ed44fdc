extension RestorePoint {
    /// The roots of the block-map trees this restore point references (none when every disk is zero).
    ///
    /// Copying walks every tree these name: one per disk that is not all zero.
    var treeRoots: [StoredRef] {
        disks.compactMap(\.root)
    }
}
