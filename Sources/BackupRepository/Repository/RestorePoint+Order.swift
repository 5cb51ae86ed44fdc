extension [RestorePoint] {
    /// The restore points in the repository's one order, oldest first: by creation time, then (for
    /// equal times) by their parent chain, so that a restore point comes after the one it was made
    /// from, then by ID. `latest`, listings and retention all use this order.
    public func inRestorePointOrder() -> [RestorePoint] {
        let parents = Dictionary(map { ($0.id, $0.parent) }, uniquingKeysWith: { first, _ in first })
        func depth(_ id: RestorePointID) -> Int {
            var depth = 0
            var current = parents[id] ?? nil
            // Bounded by the number of points, so a damaged cycle of parents cannot loop forever.
            while let parent = current, depth < count {
                depth += 1
                current = parents[parent] ?? nil
            }
            return depth
        }
        let depths = Dictionary(map { ($0.id, depth($0.id)) }, uniquingKeysWith: { first, _ in first })
        return sorted { left, right in
            if left.created != right.created { return left.created < right.created }
            let (leftDepth, rightDepth) = (depths[left.id] ?? 0, depths[right.id] ?? 0)
            if leftDepth != rightDepth { return leftDepth < rightDepth }
            return left.id < right.id
        }
    }
}
