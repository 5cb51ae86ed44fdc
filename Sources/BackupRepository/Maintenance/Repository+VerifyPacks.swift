import Foundation
import Logging

extension Repository {
    /// Memory per index entry held while the packs of one group are read (entry, pack key, set overhead).
    static let verifyBytesPerEntry = 96

    /// Full mode: reads every pack once, one group of packs at a time. Checks the header and the trailer,
    /// compares the trailer with the index entries of the pack, and decrypts and re-hashes every block that
    /// the trailer or the index lists. Remembers only the copies found damaged.
    func scanPacks(
        into state: inout VerifyState,
        budget: Int,
        sample: (@Sendable (PackID) -> Bool)? = nil,
        logger: Logger
    ) async throws {
        state.blocksChecked = 0
        let groups = PackGroups(
            indexEntries: state.indexEntries,
            budget: budget,
            bytesPerEntry: Self.verifyBytesPerEntry
        )
        state.passes += groups.count
        let keys = try await listIndexObjects()
        for group in 0..<groups.count {
            var indexed: [PackID: Set<PackEntry>] = [:]
            for key in keys {
                guard let object = try await readIndexObjectIfIntact(key) else { continue }  // reported by scanIndex
                for location in object.locations where groups.group(of: location.pack) == group {
                    indexed[location.pack, default: []].insert(location.entry)
                }
            }
            for pack in state.packs.keys.sorted() where groups.group(of: pack) == group && sample?(pack) != false {
                try LockHandle.checkpoint()
                try await checkPack(pack, indexed: indexed.removeValue(forKey: pack) ?? [], state: &state)
                logger.trace("verify.pack", metadata: ["verify.pack": "\(pack.objectKey)"])
            }
        }
    }

    /// Reads one pack and checks it against its trailer and the index entries that name it.
    private func checkPack(_ pack: PackID, indexed: Set<PackEntry>, state: inout VerifyState) async throws {
        let key = pack.objectKey
        let contents: Data
        do {
            contents = try await store.get(key, maxBytes: ObjectSizeLimits.pack(config))
        } catch let error as ObjectStoreError where error.code == .notFound {
            return  // deleted meanwhile; the index scan reports entries that name it
        }
        state.bytesRead += Int64(contents.count)
        if !contents.starts(with: PackFormat.headerMagic) {
            state.note(.init(object: key, reason: "its header is not `NIMBPACK` (altered or not a pack)"))
        }
        var listed: Set<PackEntry> = indexed
        do {
            let trailer = try Self.packTrailer(of: contents, key: key, cipher: cipher)
            let inTrailer = Set(trailer)
            for entry in indexed.sorted(by: { $0.offset < $1.offset }) where !inTrailer.contains(entry) {
                state.note(
                    .init(
                        object: key,
                        block: entry.id.hex,
                        reason: "the index lists it but the pack's trailer does not"
                    )
                )
            }
            listed.formUnion(inTrailer)
        } catch let error as RepositoryError {
            state.note(.init(object: key, reason: error.message))
            state.packsWithoutTrailer.insert(pack)
        }
        for entry in listed.sorted(by: { $0.offset < $1.offset }) {
            state.blocksChecked += 1
            let copy = VerifyState.Copy(pack: pack, offset: entry.offset)
            let start = Int(entry.offset)
            let end = start + Int(entry.storedLength)
            let intact =
                start >= PackFormat.headerMagic.count && end <= contents.count
                && codec.decode(
                    contents.subdata(in: start..<end),
                    id: entry.id,
                    flags: entry.flags,
                    rawLength: Int(entry.rawLength),
                    verifyIdentity: true
                ) != nil
            if !intact {
                state.damagedCopies.insert(copy)
                state.note(
                    .init(
                        object: key,
                        block: entry.id.hex,
                        reason: "it fails authentication or its content does not match its ID (altered)"
                    )
                )
            } else if state.packsWithoutTrailer.contains(pack) {
                state.intactWithoutTrailer.insert(copy)
            }
        }
    }

    /// Decodes the trailer of a pack held in memory (the same checks as ``readPackTrailer(_:)``).
    static func packTrailer(of contents: Data, key: String, cipher: ObjectCipher) throws -> [PackEntry] {
        let size = contents.count
        let footerSize = PackFormat.footerSize
        guard size >= PackFormat.headerMagic.count + footerSize else {
            throw RepositoryError(.damagedObject, "it is too short to be a pack (truncated)", objectKey: key)
        }
        var reader = ByteReader(contents.subdata(in: size - footerSize..<size))
        let trailerLength = Int(try reader.read(UInt32.self))
        let version = try reader.read(UInt32.self)
        let magic = try reader.read(count: 8)
        guard magic == PackFormat.footerMagic, version == PackFormat.version,
            trailerLength + footerSize + PackFormat.headerMagic.count <= size
        else {
            throw RepositoryError(.damagedObject, "its footer is invalid (truncated or altered)", objectKey: key)
        }
        let trailerStart = size - footerSize - trailerLength
        guard
            let plain = cipher.openMetadata(
                contents.subdata(in: trailerStart..<size - footerSize),
                aad: PackFormat.aad(packKey: key)
            )
        else {
            throw RepositoryError(.damagedObject, "its trailer failed authentication", objectKey: key)
        }
        do {
            return try PackFormat.decodeTrailer(plain)
        } catch {
            throw RepositoryError(.damagedObject, "its trailer cannot be decoded: \(error)", objectKey: key)
        }
    }
}
