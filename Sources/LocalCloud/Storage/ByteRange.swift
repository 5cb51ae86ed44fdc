import Foundation
import HTTPTypes

/// Parsing of `x-ms-range` / `Range` headers (`bytes=start-end`, `bytes=start-`), inclusive as HTTP defines.
enum ByteRange {
    /// The requested range as a half-open range clipped to `size`, or `nil` when no range header was sent.
    ///
    /// - Throws: 416 `InvalidRange` when the start is at or past `size`.
    static func parse(_ request: StorageRequest, size: Int64) throws -> Range<Int64>? {
        guard let text = request.header("x-ms-range") ?? request.header("range") else { return nil }
        guard let (start, end) = bounds(text) else {
            throw StorageError.invalidHeader(request.header("x-ms-range") != nil ? "x-ms-range" : "Range", text)
        }
        guard start < size else {
            throw StorageError(
                .rangeNotSatisfiable,
                "InvalidRange",
                "The range specified is invalid for the current size of the resource.",
                headers: ["Content-Range": "bytes */\(size)"]
            )
        }
        let upper = min(size, (end ?? (size - 1)) + 1)
        return start..<upper
    }

    /// The bounds of `bytes=start-end` (`end` optional, inclusive).
    static func bounds(_ text: String) -> (Int64, Int64?)? {
        guard text.hasPrefix("bytes=") else { return nil }
        let parts = text.dropFirst(6).split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, let start = Int64(parts[0].trimmingCharacters(in: .whitespaces)), start >= 0 else {
            return nil
        }
        let endText = parts[1].trimmingCharacters(in: .whitespaces)
        if endText.isEmpty { return (start, nil) }
        guard let end = Int64(endText), end >= start else { return nil }
        return (start, end)
    }
}
