/// The shape of a restore point's tree: how many blocks a disk has and how many levels cover them.
struct TreeGeometry: Sendable, Hashable {
    let diskSize: Int64
    let blockSize: Int
    let fanout: Int

    var blockCount: Int64 { (diskSize + Int64(blockSize) - 1) / Int64(blockSize) }

    /// The number of levels (at least 1); the root is at level `depth − 1`.
    var depth: Int {
        var levels = 1
        var covered = Int64(fanout)
        while covered < blockCount {
            covered *= Int64(fanout)
            levels += 1
        }
        return levels
    }

    /// The number of blocks covered by one node of `level`.
    func span(level: Int) -> Int64 {
        var span = Int64(fanout)
        for _ in 0..<level { span *= Int64(fanout) }
        return span
    }

    /// The length of block `index` (the last block may be short).
    func length(ofBlock index: Int64) -> Int {
        Int(min(Int64(blockSize), diskSize - index * Int64(blockSize)))
    }
}
