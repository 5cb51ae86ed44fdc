/// A set of byte offsets held as sorted, disjoint, non-adjacent half-open ranges (page-aligned in practice).
///
/// Page stores keep one set of written and one of cleared pages per layer; all operations are logarithmic to
/// find the position plus linear in the number of ranges touched.
public struct PageSet: Sendable, Hashable, Codable {
    /// The ranges, sorted and disjoint; two ranges never touch.
    public private(set) var ranges: [Range<Int64>] = []

    /// An empty set.
    public init() {}

    /// A set holding `ranges` (in any order, possibly overlapping).
    public init(_ ranges: [Range<Int64>]) {
        for range in ranges { insert(range) }
    }

    /// Whether the set is empty.
    public var isEmpty: Bool { ranges.isEmpty }

    /// The number of bytes covered.
    public var count: Int64 { ranges.reduce(0) { $0 + Int64($1.count) } }

    /// The index of the first range whose upper bound is ≥ `offset`.
    private func firstIndex(reachingAtLeast offset: Int64) -> Int {
        var low = 0
        var high = ranges.count
        while low < high {
            let middle = (low + high) / 2
            if ranges[middle].upperBound < offset { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Adds `range`, merging with overlapping or adjacent ranges.
    public mutating func insert(_ range: Range<Int64>) {
        guard !range.isEmpty else { return }
        let start = firstIndex(reachingAtLeast: range.lowerBound)
        var end = start
        var lower = range.lowerBound
        var upper = range.upperBound
        while end < ranges.count, ranges[end].lowerBound <= range.upperBound {
            lower = min(lower, ranges[end].lowerBound)
            upper = max(upper, ranges[end].upperBound)
            end += 1
        }
        ranges.replaceSubrange(start..<end, with: [lower..<upper])
    }

    /// Removes `range`, splitting ranges that straddle its ends.
    public mutating func remove(_ range: Range<Int64>) {
        guard !range.isEmpty else { return }
        var start = firstIndex(reachingAtLeast: range.lowerBound)
        if start < ranges.count, ranges[start].upperBound == range.lowerBound { start += 1 }
        var end = start
        var replacement: [Range<Int64>] = []
        while end < ranges.count, ranges[end].lowerBound < range.upperBound {
            let existing = ranges[end]
            if existing.lowerBound < range.lowerBound { replacement.append(existing.lowerBound..<range.lowerBound) }
            if existing.upperBound > range.upperBound { replacement.append(range.upperBound..<existing.upperBound) }
            end += 1
        }
        ranges.replaceSubrange(start..<end, with: replacement)
    }

    /// Adds every range of `other`.
    public mutating func formUnion(_ other: PageSet) {
        for range in other.ranges { insert(range) }
    }

    /// Removes every range of `other`.
    public mutating func subtract(_ other: PageSet) {
        for range in other.ranges { remove(range) }
    }

    /// The parts of the set inside `window`, in order.
    public func intersection(_ window: Range<Int64>) -> [Range<Int64>] {
        guard !window.isEmpty else { return [] }
        var result: [Range<Int64>] = []
        var index = firstIndex(reachingAtLeast: window.lowerBound)
        while index < ranges.count, ranges[index].lowerBound < window.upperBound {
            let clipped =
                max(ranges[index].lowerBound, window.lowerBound)..<min(ranges[index].upperBound, window.upperBound)
            if !clipped.isEmpty { result.append(clipped) }
            index += 1
        }
        return result
    }

    /// The parts of `window` not in the set, in order.
    public func gaps(in window: Range<Int64>) -> [Range<Int64>] {
        var result: [Range<Int64>] = []
        var cursor = window.lowerBound
        for covered in intersection(window) {
            if covered.lowerBound > cursor { result.append(cursor..<covered.lowerBound) }
            cursor = covered.upperBound
        }
        if cursor < window.upperBound { result.append(cursor..<window.upperBound) }
        return result
    }
}
