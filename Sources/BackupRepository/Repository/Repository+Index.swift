import Foundation

extension Repository {
    /// The keys of all index objects (`index/…`).
    public func listIndexObjects() async throws -> [String] {
        var keys: [String] = []
        for try await object in store.objects(prefix: IndexObject.prefix) { keys.append(object.key) }
        return keys
    }

    /// Reads and decodes one index object.
    /// - Throws: ``RepositoryError`` naming the object when it is missing or damaged.
    public func readIndexObject(_ key: String) async throws -> IndexObject {
        let sealed = try await getMetadata(key, maxBytes: ObjectSizeLimits.index, purpose: "an index object")
        guard let plain = Zstd.decompress(sealed, limit: IndexObject.maximumPlainSize) else {
            throw RepositoryError.damaged(key, location: location, "its compressed contents cannot be decoded")
        }
        do {
            return try IndexObject.decode(plain)
        } catch {
            throw RepositoryError.damaged(key, location: location, "\(error)")
        }
    }

    /// Reads and decodes one index object, or `nil` when it is damaged (maintenance reports that separately);
    /// store failures are thrown.
    func readIndexObjectIfIntact(_ key: String) async throws -> IndexObject? {
        do {
            return try await readIndexObject(key)
        } catch is RepositoryError {
            return nil
        }
    }

    /// Writes a new index object and returns its key. Write it only after the packs it names are stored.
    @discardableResult
    public func writeIndexObject(_ object: IndexObject) async throws -> String {
        let key = IndexObject.randomKey()
        _ = try await putMetadata(key, plaintext: Zstd.compress(object.encode()))
        index.invalidate()
        return key
    }

    /// Every indexed block and one of its locations. Memory grows with the repository (about 100 bytes per
    /// block); meant for maintenance and for restores of blocks without location hints.
    public func loadIndex() async throws -> [BlockID: BlockLocation] {
        var table: [BlockID: BlockLocation] = [:]
        for key in try await listIndexObjects() {
            for location in try await readIndexObject(key).locations { table[location.entry.id] = location }
        }
        return table
    }

    /// Forgets the in-memory index so that the next lookup reloads it (after maintenance rewrote it).
    public func invalidateIndexCache() {
        index.invalidate()
    }

    /// The IDs of all pack objects.
    public func listPacks() async throws -> [PackID] {
        var packs: [PackID] = []
        for try await object in store.objects(prefix: "packs/") {
            if let id = PackID(objectKey: object.key) { packs.append(id) }
        }
        return packs
    }

    /// Reads a pack's trailer with two ranged reads and returns the blocks it lists.
    /// - Throws: ``RepositoryError`` naming the pack when it is missing, truncated or damaged.
    public func readPackTrailer(_ pack: PackID) async throws -> [PackEntry] {
        let key = pack.objectKey
        guard let info = try await store.head(key) else {
            throw RepositoryError.missing(key, location: location, "reading its trailer")
        }
        let footerSize = Int64(PackFormat.footerSize)
        guard info.size >= Int64(PackFormat.headerMagic.count) + footerSize else {
            throw RepositoryError.damaged(key, location: location, "it is too short to be a pack (truncated)")
        }
        let footer = try await fetch(
            key,
            range: info.size - footerSize..<info.size,
            maxBytes: PackFormat.footerSize,
            purpose: "reading its footer"
        )
        var reader = ByteReader(footer)
        let trailerLength = Int64(try reader.read(UInt32.self))
        let version = try reader.read(UInt32.self)
        let magic = try reader.read(count: 8)
        guard magic == PackFormat.footerMagic, version == PackFormat.version,
            trailerLength + footerSize + 8 <= info.size
        else {
            throw RepositoryError.damaged(key, location: location, "its footer is invalid (truncated or altered)")
        }
        let trailerStart = info.size - footerSize - trailerLength
        let sealed = try await fetch(
            key,
            range: trailerStart..<info.size - footerSize,
            maxBytes: ObjectSizeLimits.pack(config),
            purpose: "reading its trailer"
        )
        guard let plain = cipher.openMetadata(sealed, aad: PackFormat.aad(packKey: key)) else {
            throw RepositoryError.damaged(key, location: location, "its trailer failed authentication")
        }
        do {
            let entries = try PackFormat.decodeTrailer(plain)
            guard entries.allSatisfy({ Int64($0.offset) + Int64($0.storedLength) <= trailerStart }) else {
                throw ByteReader.Malformed(what: "an entry lies outside the pack's data")
            }
            return entries
        } catch {
            throw RepositoryError.damaged(key, location: location, "its trailer cannot be decoded: \(error)")
        }
    }
}
