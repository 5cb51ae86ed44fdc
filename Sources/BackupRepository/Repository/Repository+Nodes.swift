import Foundation

extension Repository {
    /// Loads and decodes a tree node.
    func loadNode(_ ref: BlockRef) async throws -> TreeNode {
        let (data, key) = try await readBlock(ref, purpose: "tree node \(ref.id.hex)")
        do {
            return try TreeNode.decode(data, fanout: config.treeFanout)
        } catch {
            throw RepositoryError.damaged(
                key,
                location: location,
                "tree node \(ref.id.hex) cannot be decoded: \(error)"
            )
        }
    }

    /// Where a block lives: its hint when it has one, otherwise the index (reloaded once if the cached copy
    /// does not list the block).
    func resolve(_ ref: BlockRef, purpose: String) async throws -> BlockLocation {
        if let hint = ref.hint { return hint }
        let loader: @Sendable () async throws -> BlockIndexCache.Table = { try await self.loadIndex() }
        let cached = try await index.lookup(ref.id, loader: loader)
        var found = cached.location
        if found == nil {
            found = try await index.lookup(ref.id, newerThan: cached.generation, loader: loader).location
        }
        guard let found else {
            throw RepositoryError(
                .missingObject,
                "block \(ref.id.hex) (\(purpose)) is in no index object of the repository at \(location); "
                    + "run `nimbus repo verify`",
                objectKey: nil
            )
        }
        return found
    }

    /// Reads, opens and checks one block; returns its plaintext and the key of the pack it came from.
    ///
    /// When the hinted pack is gone (a prune repacked it), the block is looked up in the index: first in the
    /// cached copy, then, if that copy is out of date too, in the index as it is now (one fresh load, shared by
    /// every caller that missed at the same time).
    func readBlock(_ ref: BlockRef, purpose: String, verifyIdentity: Bool = false) async throws -> (Data, String) {
        let location = try await resolve(ref, purpose: purpose)
        do {
            return (try await readBlock(at: location, verifyIdentity: verifyIdentity), location.pack.objectKey)
        } catch let error as RepositoryError where error.code == .missingObject && ref.hint != nil {
            let loader: @Sendable () async throws -> BlockIndexCache.Table = { try await self.loadIndex() }
            let (cached, generation) = try await index.lookup(ref.id, loader: loader)
            if let cached, cached.pack != location.pack {
                do {
                    return (try await readBlock(at: cached, verifyIdentity: verifyIdentity), cached.pack.objectKey)
                } catch let stale as RepositoryError where stale.code == .missingObject {
                    // The cached index predates a prune as well: fall through to a fresh one.
                }
            }
            guard let current = try await index.lookup(ref.id, newerThan: generation, loader: loader).location,
                current.pack != location.pack, current != cached
            else { throw error }
            return (try await readBlock(at: current, verifyIdentity: verifyIdentity), current.pack.objectKey)
        }
    }

    /// Reads one block at a known location and returns its plaintext.
    /// - Throws: ``RepositoryError`` naming the pack when it is missing, truncated or fails authentication.
    func readBlock(at location: BlockLocation, verifyIdentity: Bool = false) async throws -> Data {
        let key = location.pack.objectKey
        let entry = location.entry
        let start = Int64(entry.offset)
        let sealed = try await fetch(
            key,
            range: start..<start + Int64(entry.storedLength),
            purpose: "it holds block \(entry.id.hex)"
        )
        guard sealed.count == Int(entry.storedLength) else {
            throw RepositoryError.damaged(
                key,
                location: self.location,
                "it is truncated: block \(entry.id.hex) at offset \(entry.offset) is cut short"
            )
        }
        guard
            let plain = codec.decode(
                sealed,
                id: entry.id,
                flags: entry.flags,
                rawLength: Int(entry.rawLength),
                verifyIdentity: verifyIdentity
            )
        else {
            throw RepositoryError.damaged(
                key,
                location: self.location,
                "block \(entry.id.hex) at offset \(entry.offset) failed authentication or decompression"
            )
        }
        return plain
    }
}
