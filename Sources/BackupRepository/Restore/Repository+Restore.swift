import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Repository {
    /// Restores a whole disk image to a file (see ``restore(_:toFile:concurrency:lockOptions:progress:)``),
    /// under the caller's lock.
    func restoreUnderLock(
        _ id: RestorePointID,
        disk slot: VMDiskSlot? = nil,
        toFile path: String,
        concurrency: Int,
        progress: (@Sendable (RestoreStatistics) -> Void)?
    ) async throws -> RestoreStatistics {
        let point = try await restorePoint(id)
        return try await restoreImage(point, disk: slot, toFile: path, concurrency: concurrency, progress: progress)
    }

    /// Streams the bytes of a range of a restore point (see ``restore(_:range:concurrency:lockOptions:to:)``),
    /// under the caller's lock.
    func restoreUnderLock(
        _ id: RestorePointID,
        disk slot: VMDiskSlot? = nil,
        range: ByteRange?,
        concurrency: Int,
        to consumer: (Data) async throws -> Void
    ) async throws -> RestoreStatistics {
        let point = try await restorePoint(id)
        let disk = try point.disk(slot)
        let wanted = range ?? ByteRange(offset: 0, length: disk.size)
        guard wanted.offset >= 0, wanted.length >= 0, wanted.end <= disk.size else {
            throw RepositoryError(
                .invalidArgument,
                "range \(wanted.offset)+\(wanted.length) lies outside disk \(disk.slot) of restore point \(id) "
                    + "(\(disk.size) bytes)"
            )
        }
        let blockSize = Int64(disk.blockSize)
        let blocks = wanted.offset / blockSize..<(wanted.end + blockSize - 1) / blockSize
        var cursor = wanted.offset
        func emitZeros(upTo end: Int64) async throws {
            while cursor < end {
                let count = Int(min(end - cursor, blockSize))
                try await consumer(Data(count: count))
                cursor += Int64(count)
            }
        }
        var statistics = try await forEachBlock(
            of: point,
            disk: disk.slot,
            blocks: blocks,
            concurrency: concurrency,
            progress: nil
        ) { index, data in
            let start = index * blockSize
            try await emitZeros(upTo: max(start, wanted.offset))
            let from = Int(cursor - start)
            let to = Int(min(start + Int64(data.count), wanted.end) - start)
            if from < to {
                try await consumer(data.subdata(in: from..<to))
                cursor = start + Int64(to)
            }
        }
        try await emitZeros(upTo: wanted.end)
        statistics.bytesRestored = wanted.length
        return statistics
    }

    /// Fetches and decodes the non-zero blocks of `blocks` in parallel and hands them to `body` in block order.
    /// `disk` names the disk of the restore point (`nil`: its only disk).
    func forEachBlock(
        of point: RestorePoint,
        disk slot: VMDiskSlot? = nil,
        blocks: Range<Int64>,
        concurrency: Int,
        memoryBudget: Int = restoreMemoryBudget,
        progress: (@Sendable (RestoreStatistics) -> Void)?,
        body: (Int64, Data) async throws -> Void
    ) async throws -> RestoreStatistics {
        let started = ContinuousClock.now
        let disk = try point.disk(slot)
        let geometry = disk.geometry
        let root = try point.rootRef(of: disk, location: location)
        var cursor = TreeCursor(repository: self, geometry: geometry, root: root, range: blocks)
        var statistics = RestoreStatistics()
        let window = max(1, concurrency)
        let pointKey = point.id.objectKey
        var carried: (index: Int64, ref: BlockRef)?
        // The next run of blocks stored back to back in one pack (read with one ranged request).
        func nextRun() async throws -> [(index: Int64, ref: BlockRef)]? {
            var item = carried
            carried = nil
            if item == nil { item = try await cursor.next() }
            guard let first = item else { return nil }
            var run = [first]
            guard var previous = first.ref.hint else { return run }
            var bytes = Int(previous.entry.storedLength)
            while run.count < Self.maximumRunBlocks, bytes < Self.maximumRunBytes, let next = try await cursor.next() {
                guard let hint = next.ref.hint, hint.pack == previous.pack,
                    hint.entry.offset == previous.entry.offset &+ previous.entry.storedLength
                else {
                    carried = next
                    break
                }
                run.append(next)
                bytes += Int(hint.entry.storedLength)
                previous = hint
            }
            return run
        }
        try await withThrowingTaskGroup(of: (Int, [(Int64, Data)], Int64).self) { group in
            var sequence = 0
            var nextToDeliver = 0
            var inFlight = 0
            // Plaintext bytes of the runs started and not yet handed to `body`: bounds memory (see docs/FORMAT.md).
            var bytesInFlight = 0
            var ready: [Int: ([(Int64, Data)], Int64)] = [:]
            var exhausted = false
            var lastReport = ContinuousClock.now
            while true {
                try LockHandle.checkpoint()
                while !exhausted, inFlight < window, inFlight == 0 || bytesInFlight < memoryBudget {
                    guard let run = try await nextRun() else {
                        exhausted = true
                        break
                    }
                    let current = sequence
                    sequence += 1
                    inFlight += 1
                    bytesInFlight += run.reduce(0) { $0 + Int($1.ref.rawLength) }
                    statistics.peakBytesBuffered = max(statistics.peakBytesBuffered, Int64(bytesInFlight))
                    group.addTask {
                        let (blocks, fetched) = try await self.readRun(run, geometry: geometry, pointKey: pointKey)
                        return (current, blocks, fetched)
                    }
                }
                guard let (current, blocksRead, bytesFetched) = try await group.next() else { break }
                inFlight -= 1
                ready[current] = (blocksRead, bytesFetched)
                while let (blocks, fetched) = ready.removeValue(forKey: nextToDeliver) {
                    nextToDeliver += 1
                    for (index, data) in blocks {
                        try await body(index, data)
                        statistics.blocksRead += 1
                        statistics.bytesRestored += Int64(data.count)
                        bytesInFlight -= data.count
                    }
                    statistics.bytesFetched += fetched
                }
                if let progress, ContinuousClock.now - lastReport > .milliseconds(100) {
                    lastReport = ContinuousClock.now
                    progress(statistics)
                }
            }
        }
        statistics.nodesLoaded = cursor.nodesLoaded
        let duration = ContinuousClock.now - started
        statistics.duration = duration.inSeconds
        return statistics
    }

    static let maximumRunBlocks = 32
    static let maximumRunBytes = 4 << 20
    /// The plaintext bytes a restore fetches ahead of the block it is writing: no new run starts beyond it (one
    /// run always may). With the fetched and sealed copies, a restore holds about three times this.
    static let restoreMemoryBudget = 16 << 20

    /// Reads a run of blocks stored back to back in one pack with a single ranged read (or one block through
    /// its reference), checks each block's length, and returns their plaintexts with the bytes fetched.
    func readRun(
        _ run: [(index: Int64, ref: BlockRef)],
        geometry: TreeGeometry,
        pointKey: String
    ) async throws -> ([(Int64, Data)], Int64) {
        var blocks: [(Int64, Data, String)] = []
        var fetched: Int64 = 0
        if run.count > 1, let first = run.first?.ref.hint, let last = run.last?.ref.hint {
            let key = first.pack.objectKey
            let start = Int64(first.entry.offset)
            let end = Int64(last.entry.offset) + Int64(last.entry.storedLength)
            let bytes: Data
            do {
                bytes = try await fetch(
                    key,
                    range: start..<end,
                    maxBytes: Self.maximumRunBlocks * ObjectSizeLimits.block,
                    purpose: "it holds blocks of \(pointKey)"
                )
            } catch let error as RepositoryError where error.code == .missingObject {
                // Perhaps repacked: resolve each block on its own (through the index when needed).
                return try await readEach(run, geometry: geometry, pointKey: pointKey)
            }
            // Cut short, or a block below fails to open: each block then tries its other copies on its own.
            guard bytes.count == Int(end - start) else {
                return try await readEach(run, geometry: geometry, pointKey: pointKey)
            }
            fetched = end - start
            for (index, ref) in run {
                guard let hint = ref.hint else { continue }
                let from = bytes.startIndex + Int(Int64(hint.entry.offset) - start)
                let sealed = bytes.subdata(in: from..<from + Int(hint.entry.storedLength))
                guard
                    let plain = codec.decode(
                        sealed,
                        id: ref.id,
                        flags: hint.entry.flags,
                        rawLength: Int(ref.rawLength),
                        verifyIdentity: false
                    )
                else { return try await readEach(run, geometry: geometry, pointKey: pointKey) }
                blocks.append((index, plain, key))
            }
        } else {
            return try await readEach(run, geometry: geometry, pointKey: pointKey)
        }
        return (try checked(blocks, geometry: geometry), fetched)
    }

    private func readEach(
        _ run: [(index: Int64, ref: BlockRef)],
        geometry: TreeGeometry,
        pointKey: String
    ) async throws -> ([(Int64, Data)], Int64) {
        var blocks: [(Int64, Data, String)] = []
        var fetched: Int64 = 0
        for (index, ref) in run {
            let (data, key) = try await readBlock(ref, purpose: "block \(index) of \(pointKey)")
            blocks.append((index, data, key))
            fetched += Int64(ref.hint?.entry.storedLength ?? 0)
        }
        return (try checked(blocks, geometry: geometry), fetched)
    }

    private func checked(_ blocks: [(Int64, Data, String)], geometry: TreeGeometry) throws -> [(Int64, Data)] {
        try blocks.map { index, data, key in
            let expected = geometry.length(ofBlock: index)
            guard data.count == expected else {
                throw RepositoryError.damaged(
                    key,
                    location: location,
                    "block \(index) has \(data.count) bytes where \(expected) were expected"
                )
            }
            return (index, data)
        }
    }
}
