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

    /// Reads, opens and checks one block; returns its plaintext and the key of the pack it came from.
    ///
    /// The copy rule (docs/FORMAT.md, "Reading a block"): the hinted copy first, then the indexed copy, then
    /// every other indexed copy; the first copy that exists and opens is used. The block is unreadable only
    /// when no copy is.
    func readBlock(_ ref: BlockRef, purpose: String, verifyIdentity: Bool = false) async throws -> (Data, String) {
        var tried: Set<BlockLocation> = []
        var firstError: RepositoryError?
        func attempt(_ location: BlockLocation) async throws -> Data? {
            guard tried.insert(location).inserted else { return nil }
            do {
                return try await readBlock(at: location, verifyIdentity: verifyIdentity)
            } catch let error as RepositoryError where error.code == .missingObject || error.code == .damagedObject {
                if firstError == nil { firstError = error }
                return nil
            }
        }
        if let hint = ref.hint, let data = try await attempt(hint) { return (data, hint.pack.objectKey) }
        // The hinted copy is gone (repacked) or damaged, or there is none: the index knows the others.
        let loader: @Sendable () async throws -> BlockIndexCache.Table = { try await self.loadIndex() }
        if let indexed = try await index.lookup(ref.id, loader: loader).location,
            let data = try await attempt(indexed)
        {
            return (data, indexed.pack.objectKey)
        }
        for copy in try await indexedCopies(of: ref.id) {
            if let data = try await attempt(copy) { return (data, copy.pack.objectKey) }
        }
        if let firstError { throw firstError }
        throw RepositoryError(
            .missingObject,
            "block \(ref.id.hex) (\(purpose)) is in no index object of the repository at \(location); "
                + "run `nimbus repo verify`",
            objectKey: nil
        )
    }

    /// Every indexed copy of a block, read afresh from the index objects, in pack order. Used only when the
    /// hinted and cached copies failed, so it costs a read of the index only for damaged or moved blocks.
    func indexedCopies(of id: BlockID) async throws -> [BlockLocation] {
        var copies: Set<BlockLocation> = []
        for key in try await listIndexObjects() {
            // A damaged index object is skipped (verify reports it): other objects may still list the block.
            guard let object = try await readIndexObjectIfIntact(key) else { continue }
            copies.formUnion(object.locations.lazy.filter { $0.entry.id == id })
        }
        return copies.sorted { ($0.pack, $0.entry.offset) < ($1.pack, $1.entry.offset) }
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
            maxBytes: entry.flags.contains(.treeNode) ? ObjectSizeLimits.treeNode : ObjectSizeLimits.block,
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
