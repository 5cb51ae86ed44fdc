/// Random access to the bytes of a disk, a partition or a file: what every partition-table and file-system
/// parser reads through.
///
/// Implementations are safe to call concurrently. A read that reaches past ``size`` fails with
/// ``FileRestoreError/Code/outOfBounds``; a read never returns fewer bytes than asked.
public protocol ByteSource: Sendable {
    /// The number of bytes the source holds.
    var size: UInt64 { get }

    /// Reads exactly `count` bytes starting at `offset`.
    func read(at offset: UInt64, count: Int) async throws -> [UInt8]
}

/// A window of another source: a partition of a disk.
public struct ByteSourceSlice: ByteSource {
    /// The source the window lies in.
    public let base: any ByteSource
    /// Where the window starts in `base`.
    public let offset: UInt64
    public let size: UInt64

    /// A window of `size` bytes of `base` starting at `offset`; fails unless it lies inside `base`.
    public init(_ base: any ByteSource, offset: UInt64, size: UInt64) throws {
        guard offset <= base.size, size <= base.size - offset else {
            throw FileRestoreError(
                .outOfBounds,
                "a window of \(size) bytes at offset \(offset) does not fit in a source of \(base.size) bytes"
            )
        }
        self.base = base
        self.offset = offset
        self.size = size
    }

    public func read(at offset: UInt64, count: Int) async throws -> [UInt8] {
        try ByteSourceBounds.check(offset: offset, count: count, size: size)
        return try await base.read(at: self.offset + offset, count: count)
    }
}

/// A source held in memory (tests, small metadata).
public struct InMemoryByteSource: ByteSource {
    /// The bytes.
    public let bytes: [UInt8]
    public var size: UInt64 { UInt64(bytes.count) }

    /// A source over `bytes`.
    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    public func read(at offset: UInt64, count: Int) async throws -> [UInt8] {
        try ByteSourceBounds.check(offset: offset, count: count, size: size)
        let start = Int(offset)
        return Array(bytes[start..<start + count])
    }
}

/// The one bounds check of a read, done before any arithmetic that could overflow.
public enum ByteSourceBounds {
    /// Fails with ``FileRestoreError/Code/outOfBounds`` unless `[offset, offset + count)` lies in `[0, size)`.
    public static func check(offset: UInt64, count: Int, size: UInt64) throws {
        guard count >= 0, offset <= size, UInt64(count) <= size - offset else {
            throw FileRestoreError(
                .outOfBounds,
                "a read of \(count) bytes at offset \(offset) reaches past the end (\(size) bytes)"
            )
        }
    }
}
