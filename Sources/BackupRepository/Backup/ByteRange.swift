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

    /// One past the last byte, saturating at `Int64.max` (so an unchecked range cannot trap).
    public var end: Int64 {
        let (sum, overflow) = offset.addingReportingOverflow(length)
        return overflow ? Int64.max : sum
    }
}

extension [ByteRange] {
    /// The block indices overlapping these ranges, as sorted, merged, half-open block intervals, clipped to
    /// `blockCount`. Empty ranges are skipped; a negative offset counts from 0 and an end past 2^63 − 1
    /// counts as 2^63 − 1, so no input traps.
    func blockIntervals(blockSize: Int, blockCount: Int64) -> [Range<Int64>] {
        let size = Int64(blockSize)
        return
            self
            .filter { $0.length > 0 && $0.end > 0 }
            .map { range -> Range<Int64> in
                let first = Swift.max(range.offset, 0) / size
                let last = (range.end - 1) / size
                return Swift.min(first, blockCount)..<Swift.min(last + 1, blockCount)
            }
            .mergedIntervals()
    }
}

extension [Range<Int64>] {
    /// The intervals sorted by lower bound, with empty ones dropped and overlapping or touching ones
    /// merged: the one merge the engine uses for changed ranges and block intervals.
    func mergedIntervals() -> [Range<Int64>] {
        var merged: [Range<Int64>] = []
        for interval in filter({ !$0.isEmpty }).sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = merged.last, interval.lowerBound <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound..<Swift.max(last.upperBound, interval.upperBound)
            } else {
                merged.append(interval)
            }
        }
        return merged
    }
}
