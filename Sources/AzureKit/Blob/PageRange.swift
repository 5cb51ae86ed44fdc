/// An inclusive byte range of a page blob, 512-byte aligned.
public struct PageRange: Sendable, Hashable, CustomStringConvertible {
    /// The first byte.
    public var start: Int64
    /// The last byte (inclusive).
    public var end: Int64

    /// Creates a range.
    public init(start: Int64, end: Int64) {
        self.start = start
        self.end = end
    }

    /// The number of bytes.
    public var length: Int64 { end - start + 1 }

    /// A description without secrets.
    public var description: String { "\(start)-\(end)" }
}

/// One entry of Get Page Ranges: data written (or changed since the previous snapshot), or cleared.
public enum PageRangeEntry: Sendable, Hashable {
    /// Pages holding data (with a diff: changed since the previous snapshot).
    case data(PageRange)
    /// Pages cleared since the previous snapshot (read as zeros).
    case cleared(PageRange)

    /// The range.
    public var range: PageRange {
        switch self {
        case .data(let range), .cleared(let range): range
        }
    }
}

/// The snapshot a page-range diff is computed against.
public enum PreviousSnapshot: Sendable, Equatable {
    /// A snapshot of the same blob, by its time (`prevsnapshot=`).
    case snapshot(String)
    /// A managed-disk snapshot's full SAS URL (`x-ms-previous-snapshot-url`).
    case url(String)
}
