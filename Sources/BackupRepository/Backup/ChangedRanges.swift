import Foundation

/// The byte ranges of a disk changed since a restore point: the input of an incremental backup.
///
/// Stored as a JSON array of `[offset, length]` pairs of whole numbers (FORMAT.md, "Changed ranges").
/// Every range is checked before any arithmetic is done with it; the list is kept sorted by offset,
/// with empty ranges dropped and overlapping or touching ranges merged.
public struct ChangedRanges: Sendable, Hashable {
    /// The ranges: sorted, merged, none empty.
    public private(set) var ranges: [ByteRange]

    /// Checks and normalises ranges in any order.
    /// - Parameter diskSize: when given, every range must end at or before it.
    /// - Throws: ``RepositoryError`` with ``RepositoryError/Code/invalidArgument`` naming the first
    ///   entry that has a negative offset or length, ends past 2^63 − 1, or ends past `diskSize`.
    public init(validating ranges: [ByteRange], diskSize: Int64? = nil) throws {
        for (index, range) in ranges.enumerated() {
            try Self.check(range, entry: index, diskSize: diskSize)
        }
        let merged = ranges.filter { $0.length > 0 }.map { $0.offset..<($0.offset + $0.length) }.mergedIntervals()
        self.ranges = merged.map { ByteRange(offset: $0.lowerBound, length: $0.upperBound - $0.lowerBound) }
    }

    /// Parses and checks the JSON form.
    /// - Throws: ``RepositoryError`` with ``RepositoryError/Code/invalidArgument`` when `data` is not an
    ///   array of pairs of whole numbers, or an entry is out of range (see ``init(validating:diskSize:)``).
    public init(parsing data: Data, diskSize: Int64? = nil) throws {
        guard case .array(let entries) = try? JSONValue(parsing: data) else {
            throw RepositoryError(
                .invalidArgument,
                "changed ranges must be a JSON array of [offset, length] pairs of whole numbers"
            )
        }
        var ranges: [ByteRange] = []
        ranges.reserveCapacity(entries.count)
        for (index, entry) in entries.enumerated() {
            guard case .array(let pair) = entry, pair.count == 2, case .integer(let offset) = pair[0],
                case .integer(let length) = pair[1]
            else {
                throw RepositoryError(
                    .invalidArgument,
                    "changed-ranges entry \(index) is not an [offset, length] pair of whole numbers "
                        + "from 0 to 9223372036854775807"
                )
            }
            ranges.append(ByteRange(offset: offset, length: length))
        }
        try self.init(validating: ranges, diskSize: diskSize)
    }

    /// The number of bytes the ranges cover.
    public var byteCount: Int64 { ranges.reduce(0) { $0 + $1.length } }

    /// The JSON form: one `[offset, length]` pair per line.
    public func encoded() -> Data {
        Data(("[" + ranges.map { "[\($0.offset),\($0.length)]" }.joined(separator: ",\n ") + "]\n").utf8)
    }

    private static func check(_ range: ByteRange, entry: Int, diskSize: Int64?) throws {
        let (offset, length) = (range.offset, range.length)
        guard offset >= 0, length >= 0 else {
            throw RepositoryError(
                .invalidArgument,
                "changed-ranges entry \(entry) [\(offset), \(length)] has a negative offset or length; "
                    + "give [offset, length] with both at least 0"
            )
        }
        guard offset <= Int64.max - length else {
            throw RepositoryError(
                .invalidArgument,
                "changed-ranges entry \(entry) [\(offset), \(length)] ends past 2^63 − 1 bytes; "
                    + "give a range inside the disk"
            )
        }
        if let diskSize, offset + length > diskSize {
            throw RepositoryError(
                .invalidArgument,
                "changed-ranges entry \(entry) [\(offset), \(length)] ends past the end of the disk "
                    + "(\(diskSize) bytes); give ranges of this disk image"
            )
        }
    }
}
