extension RestorePoint {
    /// The roots of the block-map trees this restore point references (none when every disk is zero).
    ///
    /// Copying walks every tree these name; a restore point with several disk trees lists each root.
    var treeRoots: [StoredRef] {
        root.map { [$0] } ?? []
    }
}
