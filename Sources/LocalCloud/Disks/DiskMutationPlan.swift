/// Where a guest writes when it changes a given share of its disk: scattered, non-overlapping writes of 4 KiB to
/// 256 KiB, 4 KiB-aligned, as a file system would make them.
public struct DiskMutationPlan: Sendable, Equatable {
    /// One write: offset and length in bytes.
    public struct Write: Sendable, Equatable, Codable {
        /// The first byte written.
        public var offset: Int64
        /// How many bytes.
        public var length: Int64
    }

    /// The guest's write granularity.
    public static let blockSize: Int64 = 4096
    /// The largest single write.
    public static let maximumWrite: Int64 = 256 * 1024

    /// The writes, sorted by offset.
    public let writes: [Write]

    /// Plans writes covering `percent` of a disk of `diskSize` bytes.
    ///
    /// - Parameters:
    ///   - diskSize: The disk's size in bytes.
    ///   - percent: The share to change, 0–100.
    ///   - generator: The source of randomness (seeded for a replayable plan).
    public init(diskSize: Int64, percent: Double, generator: inout some RandomNumberGenerator) {
        let blocks = diskSize / Self.blockSize
        var remaining = Int64((Double(blocks) * min(max(percent, 0), 100) / 100).rounded())
        var taken: [Write] = []
        var attempts = 0
        while remaining > 0 && attempts < 100_000 {
            attempts += 1
            let lengthBlocks = min(
                Int64.random(in: 1...(Self.maximumWrite / Self.blockSize), using: &generator),
                remaining
            )
            guard blocks - lengthBlocks >= 0 else { break }
            let startBlock = Int64.random(in: 0...(blocks - lengthBlocks), using: &generator)
            let candidate = Write(offset: startBlock * Self.blockSize, length: lengthBlocks * Self.blockSize)
            let index = taken.partitioningIndex { $0.offset >= candidate.offset }
            let overlapsBefore = index > 0 && taken[index - 1].offset + taken[index - 1].length > candidate.offset
            let overlapsAfter = index < taken.count && candidate.offset + candidate.length > taken[index].offset
            if overlapsBefore || overlapsAfter { continue }
            taken.insert(candidate, at: index)
            remaining -= lengthBlocks
        }
        writes = taken
    }

    /// The changed ranges as `[offset, length]` pairs with touching writes merged, sorted by offset.
    public var changedRanges: [[Int64]] {
        var merged: [[Int64]] = []
        for write in writes {
            if let last = merged.last, last[0] + last[1] == write.offset {
                merged[merged.count - 1][1] += write.length
            } else {
                merged.append([write.offset, write.length])
            }
        }
        return merged
    }

    /// The total bytes written.
    public var totalBytes: Int64 {
        writes.reduce(0) { $0 + $1.length }
    }
}

extension Array {
    /// The first index whose element satisfies `predicate`, for an array partitioned by it (binary search).
    func partitioningIndex(where predicate: (Element) -> Bool) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if predicate(self[middle]) {
                high = middle
            } else {
                low = middle + 1
            }
        }
        return low
    }
}
