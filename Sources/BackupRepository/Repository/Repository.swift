import Foundation
import Logging

/// An open Nimbus repository: create or open one, back disks up into it, list and restore restore points.
///
/// All methods are safe to call concurrently. Create one with ``create(store:password:options:logger:)`` or
/// open an existing one with ``open(store:password:logger:)``.
public final class Repository: Sendable {
    /// Where the objects live.
    public let store: any ObjectStore
    /// The repository's settings.
    public let config: RepositoryConfig
    /// The ID of the key object that opened the repository (`nil` when unencrypted).
    public let openedWithKey: String?
    let keys: RepositoryKeys
    let codec: BlockCodec
    let logger: Logger
    let index: BlockIndexCache

    init(store: any ObjectStore, config: RepositoryConfig, keys: RepositoryKeys, keyID: String?, logger: Logger) {
        self.store = store
        self.config = config
        self.keys = keys
        self.openedWithKey = keyID
        self.codec = BlockCodec(keys: keys, compressionLevel: config.compressionLevel)
        self.logger = logger
        self.index = BlockIndexCache()
    }

    var cipher: ObjectCipher { codec.cipher }
    var location: String { store.location }

    static func jsonEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        encoder.dateEncodingStrategy = JSONDates.encoding
        return encoder
    }

    static func jsonDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = JSONDates.decoding
        return decoder
    }
}

extension Repository {
    /// Reads a whole object (or a range) of at most `maxBytes` (one of ``ObjectSizeLimits``), turning "not found"
    /// into a ``RepositoryError`` naming it.
    func fetch(_ key: String, range: Range<Int64>? = nil, maxBytes: Int, purpose: String) async throws -> Data {
        do {
            return try await store.get(key, range: range, maxBytes: maxBytes)
        } catch let error as ObjectStoreError where error.code == .notFound {
            throw RepositoryError.missing(key, location: location, purpose)
        } catch let error as ObjectStoreError where error.code == .archived {
            throw RepositoryError.archived(key, location: location, purpose, underlying: error)
        }
    }

    /// Stores a sealed metadata object.
    func putMetadata(_ key: String, plaintext: some DataProtocol, mode: PutMode = .overwrite) async throws -> Int {
        let sealed = try cipher.sealMetadata(plaintext, aad: Array(key.utf8))
        try await store.put(key, contents: sealed, mode: mode)
        return sealed.count
    }

    /// Reads (at most `maxBytes`) and opens a sealed metadata object.
    func getMetadata(_ key: String, maxBytes: Int, purpose: String) async throws -> Data {
        let sealed = try await fetch(key, maxBytes: maxBytes, purpose: purpose)
        guard let plain = cipher.openMetadata(sealed, aad: Array(key.utf8)) else {
            throw RepositoryError.damaged(key, location: location, "it failed authentication (altered or truncated)")
        }
        return plain
    }
}
