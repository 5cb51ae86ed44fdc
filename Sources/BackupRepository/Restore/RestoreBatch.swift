import Foundation

/// Blocks of a restored image that lie back to back on the disk, collected so that ``RestoreWriter`` writes
/// them with one system call (`pwritev`) and one thread-pool hop instead of one of each per block.
///
/// A batch holds at most ``byteLimit`` bytes or ``pieceLimit`` pieces; a restore holds one batch besides the
/// blocks it fetches ahead (see docs/FORMAT.md, "Memory bounds").
struct RestoreBatch {
    /// The bytes a batch holds before it is written: 4 MiB, as much as one run of blocks read from a pack.
    static let byteLimit = 4 << 20
    /// The pieces a batch holds before it is written (well under the `IOV_MAX` of 1024 of Linux).
    static let pieceLimit = 256

    /// The image offset of the first piece.
    private(set) var offset: Int64 = 0
    /// The pieces, in image order with no gaps.
    private(set) var pieces: [Data] = []
    /// Their total size.
    private(set) var byteCount = 0

    /// Whether the batch holds nothing.
    var isEmpty: Bool { pieces.isEmpty }

    /// Whether the batch is full and should be written.
    var isFull: Bool { byteCount >= Self.byteLimit || pieces.count >= Self.pieceLimit }

    /// Whether a piece at `offset` continues the batch (or the batch is empty).
    func continues(at offset: Int64) -> Bool {
        pieces.isEmpty || offset == self.offset + Int64(byteCount)
    }

    /// Adds a piece that ``continues(at:)`` the batch.
    mutating func append(_ data: Data, at offset: Int64) {
        precondition(continues(at: offset), "a restore batch holds only pieces that follow each other")
        if pieces.isEmpty { self.offset = offset }
        pieces.append(data)
        byteCount += data.count
    }

    /// Empties the batch and returns what it held.
    mutating func take() -> (offset: Int64, pieces: [Data]) {
        defer {
            pieces = []
            byteCount = 0
        }
        return (offset, pieces)
    }
}
