import Foundation
import Testing

@testable import LocalCloud

/// Snapshots taken while writers write continuously keep the content they had when taken, and every diff
/// between consecutive snapshots lists exactly the pages written between them.
///
/// Each write's data takes a few milliseconds longer to reach the disk (as under a `slowWrite` fault rule), so that
/// writes are under way in the volume's top layer whenever a snapshot is taken: a snapshot that did not wait for
/// them, or a write recorded in a layer that was frozen meanwhile, makes the snapshot change after it was taken.
@Suite struct PageStoreSnapshotRaceTests {
    @Test func snapshotsTakenDuringWritesAreExactAndStable() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("pagerace-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try PageStore(directory: folder)
        let model = ConcurrentWriteModel(writers: 3, regionSize: 256 << 10)
        let volume = try store.createVolume(size: model.volumeSize)
        let snapshotCount = 20
        let dataLatency = Duration.milliseconds(150)

        let snapshots = try await withThrowingTaskGroup(
            of: [(PageStore.SnapshotID, ConcurrentWriteModel.SnapshotBounds, [UInt8])].self
        ) {
            group in
            for writer in 0..<model.writers {
                group.addTask {
                    var generator = SeededGenerator(seed: UInt64(writer) &+ 0x5eed)
                    while model.isRunning {
                        let write = model.begin(writer: writer, maxPages: 128, using: &generator)
                        try await FileIO.run {
                            try write.bytes.withUnsafeBytes {
                                try store.write(
                                    volume,
                                    offset: write.range.lowerBound,
                                    bytes: $0,
                                    dataLatency: dataLatency
                                )
                            }
                        }
                        model.acknowledge(writer: writer)
                    }
                    return []
                }
            }
            group.addTask {
                defer { model.stop() }
                var taken: [(PageStore.SnapshotID, ConcurrentWriteModel.SnapshotBounds, [UInt8])] = []
                for _ in 0..<snapshotCount {
                    let before = model.acknowledgedCounts()
                    let snapshot = try await FileIO.run { try store.snapshot(volume) }
                    let bounds = ConcurrentWriteModel.SnapshotBounds(
                        acknowledgedBefore: before,
                        startedAfter: model.startedCounts()
                    )
                    // What a backup reading the snapshot right away sees, while the writers go on.
                    let content = try await FileIO.run {
                        try store.read(.snapshot(snapshot), range: 0..<model.volumeSize)
                    }
                    taken.append((snapshot, bounds, content))
                }
                return taken
            }
            var all: [(PageStore.SnapshotID, ConcurrentWriteModel.SnapshotBounds, [UInt8])] = []
            for try await part in group { all += part }
            return all
        }

        #expect(snapshots.count == snapshotCount)
        for (index, (snapshot, _, content)) in snapshots.enumerated() {
            let later = try store.read(.snapshot(snapshot), range: 0..<model.volumeSize)
            #expect(later == content, "snapshot \(index) changed after it was taken")
        }
        let held = try await model.verify(snapshots.map(\.1)) { index, region in
            Array(snapshots[index].2[Int(region.lowerBound)..<Int(region.upperBound)])
        }
        #expect(held.last?.reduce(0, +) ?? 0 > 0, "the writers wrote nothing before the last snapshot")
        var previous: (id: PageStore.SnapshotID?, held: [Int]) = (nil, Array(repeating: 0, count: model.writers))
        for (index, (snapshot, _, _)) in snapshots.enumerated() {
            let expected = model.pagesWritten(after: previous.held, upTo: held[index])
            let diff: [PageStore.DiffRange]
            if let older = previous.id {
                diff = try store.diff(from: .snapshot(older), to: .snapshot(snapshot), in: 0..<model.volumeSize)
            } else {
                diff = try store.validRanges(of: .snapshot(snapshot), in: 0..<model.volumeSize).map {
                    .init(range: $0, cleared: false)
                }
            }
            #expect(diff.allSatisfy { !$0.cleared })
            #expect(PageSet(diff.map(\.range)).ranges == expected.ranges, "diff into snapshot \(index)")
            previous = (snapshot, held[index])
        }
    }
}
