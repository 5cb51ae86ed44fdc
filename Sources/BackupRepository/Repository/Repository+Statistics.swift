extension Repository {
    /// Counts the restore points and every stored object, and sums their sizes.
    ///
    /// Reads every restore point and lists the whole store once; takes no lock, so the figures are a
    /// snapshot that a concurrent backup or prune may change.
    public func statistics() async throws -> RepositoryStatistics {
        let points = try await listRestorePoints()
        var totals = RepositoryStatistics(
            restorePoints: points.count,
            logicalBytes: points.reduce(0) { $0 &+ $1.totalDiskSize },
            packs: 0,
            packBytes: 0,
            objects: 0,
            storedBytes: 0
        )
        for try await object in store.objects(prefix: "") {
            totals.objects += 1
            totals.storedBytes &+= object.size
            if object.key.hasPrefix("packs/") {
                totals.packs += 1
                totals.packBytes &+= object.size
            }
        }
        return totals
    }
}
