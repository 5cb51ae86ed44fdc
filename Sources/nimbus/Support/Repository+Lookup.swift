import BackupRepository

extension Repository {
    /// All restore points, oldest first.
    ///
    /// Creation times are stored to the second, so points made within one second are ordered by
    /// their parent chain: a restore point always comes after the one it was made from.
    func restorePointsInOrder() async throws -> [RestorePoint] {
        let points = try await listRestorePoints()
        let parents = Dictionary(points.map { ($0.id, $0.parent) }, uniquingKeysWith: { first, _ in first })
        func depth(_ id: RestorePointID) -> Int {
            var depth = 0
            var current = parents[id] ?? nil
            while let parent = current, depth < points.count {
                depth += 1
                current = parents[parent] ?? nil
            }
            return depth
        }
        let depths = Dictionary(points.map { ($0.id, depth($0.id)) }, uniquingKeysWith: { first, _ in first })
        return points.sorted { left, right in
            if left.created != right.created { return left.created < right.created }
            let (leftDepth, rightDepth) = (depths[left.id] ?? 0, depths[right.id] ?? 0)
            if leftDepth != rightDepth { return leftDepth < rightDepth }
            return left.id < right.id
        }
    }

    /// The restore point a user named: a full ID, a unique prefix of one, or `latest`.
    func restorePoint(named name: String) async throws -> RestorePoint {
        if name == "latest" {
            guard let newest = try await restorePointsInOrder().last else {
                throw CommandFailure(.notFound, "the repository at \(store.location) has no restore points yet")
            }
            return newest
        }
        return try await restorePoint(matching: name)
    }
}
