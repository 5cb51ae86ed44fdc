import Foundation

/// A list of changed byte ranges, stored as a JSON array of `[offset, length]` pairs.
struct ChangedRanges: Sendable, Equatable {
    /// One changed range.
    struct Range: Sendable, Hashable {
        var offset: Int64
        var length: Int64
        var end: Int64 { offset + length }
    }

    /// The ranges, sorted by offset, with overlapping and touching ranges merged.
    private(set) var ranges: [Range]

    /// Creates a normalised list from ranges in any order.
    init(_ ranges: [Range]) {
        var merged: [Range] = []
        for range in ranges.filter({ $0.length > 0 }).sorted(by: { $0.offset < $1.offset }) {
            if let last = merged.last, range.offset <= last.end {
                merged[merged.count - 1].length = max(last.end, range.end) - last.offset
            } else {
                merged.append(range)
            }
        }
        self.ranges = merged
    }

    /// The number of bytes the ranges cover.
    var byteCount: Int64 { ranges.reduce(0) { $0 + $1.length } }

    /// Reads a ranges file.
    /// - Throws: ``CommandFailure`` naming the file when it is missing or malformed.
    static func load(from path: String) throws -> ChangedRanges {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw CommandFailure(.notFound, "cannot read the changed-ranges file '\(path)': check the path")
        }
        let pairs: [[Int64]]
        do {
            pairs = try JSONDecoder().decode([[Int64]].self, from: data)
        } catch {
            throw CommandFailure(
                .failure,
                "the changed-ranges file '\(path)' is not a JSON array of [offset, length] pairs"
            )
        }
        var ranges: [Range] = []
        for (index, pair) in pairs.enumerated() {
            guard pair.count == 2, pair[0] >= 0, pair[1] >= 0, pair[0] <= Int64.max - pair[1] else {
                throw CommandFailure(
                    .failure,
                    "entry \(index) of the changed-ranges file '\(path)' is not a valid [offset, length] pair"
                )
            }
            ranges.append(Range(offset: pair[0], length: pair[1]))
        }
        return ChangedRanges(ranges)
    }

    /// Writes the ranges as a JSON array of `[offset, length]` pairs.
    func save(to path: String) throws {
        let text = "[" + ranges.map { "[\($0.offset),\($0.length)]" }.joined(separator: ",\n ") + "]\n"
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw CommandFailure(.io, "cannot write the changed-ranges file '\(path)': \(error.localizedDescription)")
        }
    }
}
