import Crypto
import Foundation
import Logging

extension Repository {
    /// Settings of a repository linked to another one (an archive).
    public struct LinkedCreateOptions: Sendable {
        /// The size at which data packs are closed: large, to keep per-object and rehydration costs low.
        public var packTargetSize: Int = 256 << 20
        /// Whether data packs go to the store's archive tier once written (index, tree nodes and restore points
        /// stay online).
        public var archiveDataPacks: Bool = true
        /// The scrypt cost of the first key.
        public var scrypt: ScryptParameters = .standard
        /// A label for the first key.
        public var keyLabel: String = "initial"

        /// The defaults: 256 MiB packs, data packs archived, standard scrypt.
        public init() {}
    }

    /// Creates a repository in an empty store that shares `source`'s data and MAC keys, under its own password
    /// and ID, so that restore points can be copied from `source` into it block by block (see
    /// ``copy(restorePoints:to:options:)``). Block size, fanout, compression level and encryption
    /// follow `source`; the pack size is its own. `config.linkedTo` records `source`'s ID.
    /// - Parameter password: The new repository's password; required when `source` is encrypted.
    public static func createLinked(
        store: any ObjectStore,
        password: String?,
        source: Repository,
        options: LinkedCreateOptions = LinkedCreateOptions(),
        logger: Logger = Logger(label: "nimbus.repository", factory: { _ in SwiftLogNoOpLogHandler() })
    ) async throws -> Repository {
        var settings = CreateOptions()
        settings.blockSize = source.config.blockSize
        settings.compressionLevel = source.config.compressionLevel
        settings.encrypted = source.config.isEncrypted
        settings.treeFanout = source.config.treeFanout
        settings.packTargetSize = options.packTargetSize
        settings.scrypt = options.scrypt
        settings.keyLabel = options.keyLabel
        return try await create(
            store: store,
            password: password,
            options: settings,
            keys: source.keys,
            link: (source.config.id, options.archiveDataPacks ? .archive : nil),
            logger: logger
        )
    }

    /// Whether this repository and `other` share their data and MAC keys (one was created linked to the
    /// other, or both to a third), so that stored blocks mean the same in both.
    public func isLinked(with other: Repository) -> Bool {
        guard config.isEncrypted == other.config.isEncrypted, config.blockSize == other.config.blockSize,
            config.treeFanout == other.config.treeFanout
        else { return false }
        return keys.material.withUnsafeBytes { mine in
            other.keys.material.withUnsafeBytes { theirs in safeCompare(mine, theirs) }
        }
    }

    /// Throws ``RepositoryError/Code/notLinked`` naming both repositories unless they are linked.
    func checkLinked(to destination: Repository) throws {
        guard isLinked(with: destination) else {
            throw RepositoryError(
                .notLinked,
                "the repository \(config.id) at \(location) and the repository \(destination.config.id) at "
                    + "\(destination.location) are not linked (they do not share their keys, so their blocks cannot "
                    + "be compared or moved); create the destination with `nimbus repo init --linked-to "
                    + "\(location)` and copy into that"
            )
        }
    }
}

/// Compares two byte buffers in time independent of where they differ.
private func safeCompare(_ lhs: UnsafeRawBufferPointer, _ rhs: UnsafeRawBufferPointer) -> Bool {
    guard lhs.count == rhs.count else { return false }
    var difference: UInt8 = 0
    for index in 0..<lhs.count { difference |= lhs[index] ^ rhs[index] }
    return difference == 0
}
