/// The block indices a backup examines, produced lazily from sorted, merged intervals.
struct BlockWork: IteratorProtocol, Sendable {
    private let intervals: [Range<Int64>]
    private var interval = 0
    private var position: Int64

    init(intervals: [Range<Int64>]) {
        self.intervals = intervals
        position = intervals.first?.lowerBound ?? 0
    }

    /// The total number of blocks.
    var count: Int64 { intervals.reduce(0) { $0 + Int64($1.count) } }

    mutating func next() -> Int64? {
        while interval < intervals.count {
            if position < intervals[interval].upperBound {
                defer { position += 1 }
                return position
            }
            interval += 1
            if interval < intervals.count { position = intervals[interval].lowerBound }
        }
        return nil
    }
}

/// What the parallel stage found for one block.
enum BlockOutcome: Sendable {
    case zero
    case existing(BlockID, BlockLocation?)
    case new(BlockCodec.Encoded)
}

/// A child task's result in the backup pipeline.
enum PipelineEvent: Sendable {
    case block(sequence: Int, index: Int64, length: Int, outcome: BlockOutcome)
    case stored(FinishedPack.Stored)
}
