import Foundation

extension Repository {
    /// Reads the blocks of `intervals` of one disk through the parallel pipeline (read, identify, compress,
    /// seal; packs uploaded while later blocks are processed) into `writer`, and returns the root of the
    /// disk's tree (`nil` when the disk is all zero). The caller stores the last packs and publishes.
    func backupDisk(
        source: some DiskSource,
        geometry: TreeGeometry,
        intervals: [Range<Int64>],
        parentRoot: BlockRef?,
        dedup: DedupSet,
        options: BackupOptions,
        writer: inout BackupWriter,
        lastReport: inout ContinuousClock.Instant
    ) async throws -> BlockRef? {
        var work = BlockWork(intervals: intervals)
        var tree = TreeBuilder(geometry: geometry, parentRoot: parentRoot)
        let codec = self.codec
        let store = self.store
        let blockSize = Int64(config.blockSize)
        let window = max(1, options.concurrency)
        let buffers = BufferPool(size: config.blockSize)
        let uploadLimit = max(1, options.uploadConcurrency)

        try await withThrowingTaskGroup(of: PipelineEvent.self) { group in
            var sequence = 0
            var nextToConsume = 0
            var blocksInFlight = 0
            var uploadsInFlight = 0
            var waitingPacks: [FinishedPack] = []
            var finished: [Int: (index: Int64, length: Int, outcome: BlockOutcome)] = [:]

            func startUploads() {
                while uploadsInFlight < uploadLimit, !waitingPacks.isEmpty {
                    let pack = waitingPacks.removeFirst()
                    uploadsInFlight += 1
                    group.addTask {
                        try await store.put(pack.id.objectKey, contents: pack.contents)
                        return .stored(.init(id: pack.id, entries: pack.entries))
                    }
                }
            }

            func startBlocks() {
                // Backpressure: read nothing more while finished packs wait for an upload slot.
                while blocksInFlight < window, waitingPacks.isEmpty, let index = work.next() {
                    let current = sequence
                    sequence += 1
                    blocksInFlight += 1
                    let length = geometry.length(ofBlock: index)
                    group.addTask {
                        try LockHandle.checkpoint()
                        let outcome = try await buffers.withBuffer { buffer -> BlockOutcome in
                            let target = UnsafeMutableRawBufferPointer(rebasing: buffer.memory[0..<length])
                            try await source.read(at: index * blockSize, into: target)
                            let raw = UnsafeRawBufferPointer(target)
                            if isAllZero(raw) { return .zero }
                            let id = codec.identity(of: raw)
                            switch dedup.claim(id, rawLength: raw.count) {
                            case .store: return .new(try codec.encode(raw, id: id))
                            case .exists(let hint): return .existing(id, hint)
                            }
                        }
                        return .block(sequence: current, index: index, length: length, outcome: outcome)
                    }
                }
            }

            startBlocks()
            while let event = try await group.next() {
                try LockHandle.checkpoint()
                switch event {
                case .stored(let pack):
                    uploadsInFlight -= 1
                    try await writer.packStored(pack)
                case .block(let current, let index, let length, let outcome):
                    blocksInFlight -= 1
                    finished[current] = (index, length, outcome)
                    while let item = finished.removeValue(forKey: nextToConsume) {
                        nextToConsume += 1
                        writer.statistics.bytesRead += Int64(item.length)
                        switch item.outcome {
                        case .zero:
                            writer.statistics.blocksZero += 1
                            try await tree.set(block: item.index, to: nil, store: &writer)
                        case .existing(let id, let hint):
                            writer.statistics.blocksDeduplicated += 1
                            let ref = BlockRef(id: id, rawLength: UInt32(item.length), hint: hint)
                            try await tree.set(block: item.index, to: ref, store: &writer)
                        case .new(let encoded):
                            writer.statistics.blocksNew += 1
                            let (location, full) = try writer.add(encoded)
                            dedup.stored(location)
                            if let full { waitingPacks.append(full) }
                            let ref = BlockRef(id: encoded.id, rawLength: UInt32(encoded.rawLength), hint: location)
                            try await tree.set(block: item.index, to: ref, store: &writer)
                        }
                    }
                }
                try await writer.flushIndexIfDue()
                startUploads()
                startBlocks()
                if let progress = options.progress, ContinuousClock.now - lastReport > .milliseconds(100) {
                    lastReport = ContinuousClock.now
                    progress(writer.statistics)
                }
            }
        }
        return try await tree.finish(store: &writer)
    }
}
