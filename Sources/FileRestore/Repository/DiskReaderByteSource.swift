import BackupRepository
import Foundation

/// A restore point's disk as a ``ByteSource``, read through a ``DiskReader``.
public struct DiskReaderByteSource: ByteSource {
    /// The reader the bytes come from.
    public let reader: DiskReader

    /// A source over `reader`'s disk.
    public init(_ reader: DiskReader) {
        self.reader = reader
    }

    public var size: UInt64 { UInt64(reader.size) }

    public func read(at offset: UInt64, count: Int) async throws -> [UInt8] {
        try ByteSourceBounds.check(offset: offset, count: count, size: size)
        var result: [UInt8] = []
        result.reserveCapacity(count)
        var done = 0
        while done < count {
            let piece = min(count - done, DiskReader.maximumReadLength)
            let data = try await reader.read(at: Int64(offset) + Int64(done), count: piece)
            result += data
            done += piece
        }
        return result
    }
}
