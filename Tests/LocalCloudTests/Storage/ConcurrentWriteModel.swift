import Foundation
import Synchronization
import Testing

@testable import LocalCloud

/// A model of page writes made by several writers while snapshots are taken, to check what each snapshot holds.
///
/// Each writer owns one region of the volume and writes into it one write at a time, so the writes to a page are
/// totally ordered. A write's pages carry its writer and sequence number, so that a mismatch names the write.
/// Around each snapshot the model records, per writer, how many writes were acknowledged before the snapshot
/// began and how many had started when it returned: the snapshot must hold exactly some prefix in between.
final class ConcurrentWriteModel: Sendable {
    /// One planned write.
    struct Write: Sendable {
        var range: Range<Int64>
        var bytes: [UInt8]
    }

    /// The bounds recorded around one snapshot, per writer.
    struct SnapshotBounds: Sendable {
        var acknowledgedBefore: [Int]
        var startedAfter: [Int]
    }

    private struct State {
        var writes: [[Range<Int64>]]
        var started: [Int]
        var acknowledged: [Int]
    }

    let writers: Int
    let regionSize: Int64
    private let state: Mutex<State>
    private let running = Atomic<Bool>(true)

    /// Whether the writers should go on writing.
    var isRunning: Bool { running.load(ordering: .relaxed) }

    /// Tells the writers to stop after their current write.
    func stop() { running.store(false, ordering: .relaxed) }

    init(writers: Int, regionSize: Int64) {
        self.writers = writers
        self.regionSize = regionSize
        state = Mutex(
            State(
                writes: Array(repeating: [], count: writers),
                started: Array(repeating: 0, count: writers),
                acknowledged: Array(repeating: 0, count: writers)
            )
        )
    }

    /// The volume size covering every writer's region.
    var volumeSize: Int64 { Int64(writers) * regionSize }

    /// Plans and registers writer `writer`'s next write: a random page-aligned range of 1 to `maxPages` pages.
    func begin(writer: Int, maxPages: Int, using generator: inout SeededGenerator) -> Write {
        let pageSize = PageStore.pageSize
        let regionPages = Int(regionSize / pageSize)
        let pages = Int.random(in: 1...min(maxPages, regionPages), using: &generator)
        let first = Int.random(in: 0...(regionPages - pages), using: &generator)
        let start = Int64(writer) * regionSize + Int64(first) * pageSize
        let range = start..<(start + Int64(pages) * pageSize)
        let sequence = state.withLock { state in
            state.writes[writer].append(range)
            state.started[writer] += 1
            return state.started[writer]
        }
        return Write(range: range, bytes: Self.pattern(writer: writer, sequence: sequence, pages: pages))
    }

    /// Records that writer `writer`'s last write was acknowledged.
    func acknowledge(writer: Int) {
        state.withLock { $0.acknowledged[writer] += 1 }
    }

    /// Per writer, the writes acknowledged so far (call just before taking a snapshot).
    func acknowledgedCounts() -> [Int] {
        state.withLock { $0.acknowledged }
    }

    /// Per writer, the writes started so far (call just after a snapshot returned).
    func startedCounts() -> [Int] {
        state.withLock { $0.started }
    }

    /// Checks each snapshot's content against the model and returns, per snapshot and writer, the number of
    /// writes it holds. `read` returns the bytes of a writer's region in a snapshot.
    func verify(
        _ snapshots: [SnapshotBounds],
        read: (_ snapshot: Int, _ region: Range<Int64>) async throws -> [UInt8]
    ) async throws -> [[Int]] {
        let writes = state.withLock { $0.writes }
        var held = Array(repeating: Array(repeating: 0, count: writers), count: snapshots.count)
        for writer in 0..<writers {
            let origin = Int64(writer) * regionSize
            let region = origin..<(origin + regionSize)
            var content = [UInt8](repeating: 0, count: Int(regionSize))
            var applied = 0
            for (index, bounds) in snapshots.enumerated() {
                let actual = try await read(index, region)
                let low = bounds.acknowledgedBefore[writer]
                let high = bounds.startedAfter[writer]
                var matched: Int?
                while applied < low {
                    apply(writes[writer][applied], number: applied + 1, writer: writer, to: &content)
                    applied += 1
                }
                var candidate = content
                var count = applied
                while true {
                    if candidate == actual {
                        matched = count
                        break
                    }
                    guard count < high else { break }
                    apply(writes[writer][count], number: count + 1, writer: writer, to: &candidate)
                    count += 1
                }
                let found = try #require(
                    matched,
                    "Snapshot \(index) holds, in writer \(writer)'s region, no prefix of its writes \(low)...\(high)"
                )
                held[index][writer] = found
                while applied < found {
                    apply(writes[writer][applied], number: applied + 1, writer: writer, to: &content)
                    applied += 1
                }
            }
        }
        return held
    }

    /// The pages written by writes `(older, newer]` of every writer (`older`/`newer` are per-writer counts).
    func pagesWritten(after older: [Int], upTo newer: [Int]) -> PageSet {
        let writes = state.withLock { $0.writes }
        var pages = PageSet()
        for writer in 0..<writers where newer[writer] > older[writer] {
            for range in writes[writer][older[writer]..<newer[writer]] { pages.insert(range) }
        }
        return pages
    }

    private func apply(_ range: Range<Int64>, number: Int, writer: Int, to content: inout [UInt8]) {
        let bytes = Self.pattern(writer: writer, sequence: number, pages: range.count / Int(PageStore.pageSize))
        let start = Int(range.lowerBound - Int64(writer) * regionSize)
        content.replaceSubrange(start..<(start + bytes.count), with: bytes)
    }

    /// The bytes of write `sequence` of `writer`: each page starts with the two numbers, then a filler byte.
    static func pattern(writer: Int, sequence: Int, pages: Int) -> [UInt8] {
        var page = [UInt8](repeating: UInt8(truncatingIfNeeded: sequence &* 131 &+ writer), count: 512)
        withUnsafeBytes(of: UInt32(writer).littleEndian) { page.replaceSubrange(0..<4, with: $0) }
        withUnsafeBytes(of: UInt32(sequence).littleEndian) { page.replaceSubrange(4..<8, with: $0) }
        return Array([[UInt8]](repeating: page, count: pages).joined())
    }
}
