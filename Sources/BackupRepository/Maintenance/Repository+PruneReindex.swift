import Foundation
import Logging

extension Repository {
    /// The existing packs that hold blocks restore points reference through a location hint while no index
    /// object lists any copy of them in an existing pack (an index object was lost). Works one group of block
    /// IDs at a time, so that every copy of a block is seen in the same pass, within `budget` bytes.
    func unindexedReferencedPacks(
        points: [RestorePoint],
        packsInStore: [PackID: ObjectInfo],
        indexEntries: Int,
        budget: Int
    ) async throws -> Set<PackID> {
        let groups = PackGroups(indexEntries: indexEntries, budget: budget)
        let keys = try await listIndexObjects()
        var found: Set<PackID> = []
        for group in 0..<groups.count {
            var table = MarkTable()
            for key in keys {
                for location in try await readIndexObject(key).locations
                where groups.group(ofBlock: location.entry.id) == group {
                    table.add(location)
                }
            }
            table.seal()
            var visited: Set<BlockID> = []
            for point in points {
                try await walkTree(of: point, visited: &visited) { ref, _ in
                    guard groups.group(ofBlock: ref.id) == group, let hint = ref.hint,
                        packsInStore[hint.pack] != nil, !found.contains(hint.pack)
                    else { return }
                    if !table.copies(of: ref.id).contains(where: { packsInStore[$0.pack] != nil }) {
                        found.insert(hint.pack)
                    }
                }
            }
        }
        return found
    }

    /// Writes index objects listing every block of `packs`, read from their trailers; returns how many objects
    /// were written. A pack whose trailer cannot be read is left out (the caller keeps it).
    func reindex(_ packs: Set<PackID>, lock: LockHandle?, logger: Logger) async throws -> Int {
        var batch: [BlockLocation] = []
        var written = 0
        for pack in packs.sorted() {
            do {
                batch += try await readPackTrailer(pack).map { BlockLocation(pack: pack, entry: $0) }
            } catch let error as RepositoryError {
                logger.warning("prune.reindex", metadata: ["prune.pack": "\(pack.objectKey)", "error": "\(error)"])
                continue
            }
            if batch.count >= Self.rebuildBatchEntries {
                try lock?.checkHeld()
                try await writeIndexObject(IndexObject(locations: batch))
                written += 1
                batch.removeAll()
            }
        }
        if !batch.isEmpty {
            try lock?.checkHeld()
            try await writeIndexObject(IndexObject(locations: batch))
            written += 1
        }
        return written
    }
}
