/// A range of bytes on a disk: `offset ..< offset + length`.
public struct ByteRange: Hashable, Sendable, Codable {
    /// The first byte.
    public var offset: Int64
    /// The number of bytes.
    public var length: Int64

    /// Creates a range.
    public init(offset: Int64, length: Int64) {
        self.offset = offset
        self.length = length
    }

    /// One past the last byte.
    public var end: Int64 { offset + length }
}

extension [ByteRange] {
    /// The block indices overlapping these ranges, as sorted, merged, half-open block intervals, clipped to
    /// `blockCount`.
    func blockIntervals(blockSize: Int, blockCount: Int64) -> [Range<Int64>] {
        let size = Int64(blockSize)
        let intervals =
            self
            .filter { $0.length > 0 && $0.offset >= 0 }
            .map { (first: $0.offset / size, end: Swift.min(($0.end + size - 1) / size, blockCount)) }
            .filter { $0.first < $0.end }
            .sorted { $0.first < $1.first }
        var merged: [Range<Int64>] = []
        for interval in intervals {
            if let last = merged.last, interval.first <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound..<Swift.max(last.upperBound, interval.end)
            } else {
                merged.append(interval.first..<interval.end)
            }
        }
        return merged
    }
}
