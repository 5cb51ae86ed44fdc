import Crypto
import Foundation
import Logging

extension Repository {
    /// Settings for a new repository.
    public struct CreateOptions: Sendable {
        /// The block size in bytes (a power of two between 4 KiB and 4 MiB).
        public var blockSize: Int = 256 * 1024
        /// The zstd level for blocks.
        public var compressionLevel: Int = 4
        /// Whether to encrypt. An unencrypted repository must be asked for explicitly.
        public var encrypted: Bool = true
        /// The scrypt cost of the first key.
        public var scrypt: ScryptParameters = .standard
        /// The size at which packs are closed.
        public var packTargetSize: Int = 16 << 20
        /// The number of children per tree node.
        public var treeFanout: Int = 256
        /// A label for the first key.
        public var keyLabel: String = "initial"

        /// The defaults: 256 KiB blocks, zstd level 4, encrypted, standard scrypt, 16 MiB packs, fanout 256.
        public init() {}
    }

    /// Creates a repository in an empty store.
    /// - Parameters:
    ///   - password: The password of the first key; required unless `options.encrypted` is false.
    /// - Throws: ``RepositoryError`` with ``RepositoryError/Code/alreadyExists`` when the store already holds
    ///   repository objects (a `config`, its copy, keys, restore points, index objects or packs).
    public static func create(
        store: any ObjectStore,
        password: String?,
        options: CreateOptions = CreateOptions(),
        logger: Logger = Logger(label: "nimbus.repository", factory: { _ in SwiftLogNoOpLogHandler() })
    ) async throws -> Repository {
        try await create(
            store: store,
            password: password,
            options: options,
            keys: RepositoryKeys.random(encrypted: options.encrypted),
            link: nil,
            logger: logger
        )
    }

    /// Creates a repository with the given keys; `link` records the repository they come from and the tier
    /// of data packs (see ``createLinked(store:password:source:options:logger:)``).
    static func create(
        store: any ObjectStore,
        password: String?,
        options: CreateOptions,
        keys: RepositoryKeys,
        link: (source: String, dataPackTier: ObjectTier?)?,
        logger: Logger
    ) async throws -> Repository {
        if let existing = try await firstRepositoryObject(in: store) {
            throw RepositoryError(
                .alreadyExists,
                "a repository already exists at \(store.location) (it holds '\(existing)'; if only its 'config' was "
                    + "lost, opening it restores 'config' from '\(RepositoryConfig.copyObjectKey)'); open it instead "
                    + "or choose an empty location",
                objectKey: existing
            )
        }
        var generator = SystemRandomNumberGenerator()
        let repositoryID = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }.hexString
        var macKeyText: String?
        if !options.encrypted {
            macKeyText = keys.macKey.withUnsafeBytes { Data($0).base64EncodedString() }
        }
        let config = RepositoryConfig(
            format: "nimbus-repository",
            version: RepositoryConfig.currentVersion,
            id: repositoryID,
            created: Date(),
            blockSize: options.blockSize,
            compressionLevel: options.compressionLevel,
            encryption: options.encrypted ? "aes-256-gcm" : "none",
            identity: "hmac-sha256",
            treeFanout: options.treeFanout,
            packTargetSize: options.packTargetSize,
            macKey: macKeyText,
            linkedTo: link?.source,
            dataPackTier: link?.dataPackTier == .archive ? ObjectTier.archive.rawValue : nil
        )
        do {
            try config.validate(location: store.location)
        } catch let error as RepositoryError where error.code == .damagedObject {
            throw RepositoryError(
                .invalidArgument,
                "invalid repository settings: block size \(options.blockSize) (a power of two, 4 KiB–4 MiB), "
                    + "compression level \(options.compressionLevel) (1–22), pack size \(options.packTargetSize) "
                    + "(1 MiB–1 GiB), fanout \(options.treeFanout) (2–4096)"
            )
        }
        var keyID: String?
        if options.encrypted {
            guard let password else {
                throw RepositoryError(
                    .invalidArgument,
                    "a password is required for an encrypted repository; unencrypted ones must be asked for explicitly"
                )
            }
            let keyFile = try KeyFile.make(
                keys: keys,
                password: password,
                parameters: options.scrypt,
                repositoryID: repositoryID,
                label: options.keyLabel
            )
            try await store.put(keyFile.objectKey, contents: jsonEncoder().encode(keyFile), mode: .createOnly)
            keyID = keyFile.id
        }
        // The copy of the config comes before the config, which is written last and create-only: a
        // repository exists once it is there, and two concurrent creations cannot both succeed.
        do {
            let encoded = try jsonEncoder().encode(config)
            try await store.put(RepositoryConfig.copyObjectKey, contents: encoded, mode: .createOnly)
            try await store.put(RepositoryConfig.objectKey, contents: encoded, mode: .createOnly)
        } catch let error as ObjectStoreError where error.code == .alreadyExists {
            throw RepositoryError(.alreadyExists, "a repository was created at \(store.location) at the same time")
        }
        logger.debug("repository created", metadata: ["repository.id": "\(repositoryID)"])
        return Repository(store: store, config: config, keys: keys, keyID: keyID, logger: logger)
    }

    /// Opens an existing repository.
    ///
    /// When `config` is missing but its copy `config-copy` is intact (and, for an encrypted repository, a
    /// key confirms the copy's repository ID), the repository opens from the copy and `config` is
    /// written again from it.
    /// - Parameter password: The password of any of its keys; ignored (may be `nil`) when unencrypted.
    /// - Throws: ``RepositoryError`` with ``RepositoryError/Code/wrongPassword`` when no intact key opens
    ///   with the password, ``RepositoryError/Code/damagedObject`` naming the object when key objects or
    ///   the config are damaged or do not belong together, ``RepositoryError/Code/notARepository`` when
    ///   there is no repository.
    public static func open(
        store: any ObjectStore,
        password: String?,
        logger: Logger = Logger(label: "nimbus.repository", factory: { _ in SwiftLogNoOpLogHandler() })
    ) async throws -> Repository {
        try await open(store: store, logger: logger, password: { password })
    }

    /// Opens an existing repository, asking `password` for the password only once the store is known
    /// to hold an encrypted repository (so that a wrong location is reported before any prompt).
    public static func open(
        store: any ObjectStore,
        logger: Logger = Logger(label: "nimbus.repository", factory: { _ in SwiftLogNoOpLogHandler() }),
        password: () throws -> String?
    ) async throws -> Repository {
        let (config, fromCopy) = try await readConfig(store: store)
        let repository: Repository
        if config.isEncrypted {
            let (keys, keyID) = try await unlock(store: store, config: config, password: try password())
            repository = Repository(store: store, config: config, keys: keys, keyID: keyID, logger: logger)
        } else {
            guard let text = config.macKey, let macKey = Data(base64Encoded: text), macKey.count == 32 else {
                throw RepositoryError.damaged(
                    RepositoryConfig.objectKey,
                    location: store.location,
                    "an unencrypted repository's config lacks its MAC key"
                )
            }
            let keys = RepositoryKeys(dataKey: nil, macKey: .init(data: macKey))
            repository = Repository(store: store, config: config, keys: keys, keyID: nil, logger: logger)
        }
        if fromCopy {
            logger.warning(
                "config restored from its copy",
                metadata: ["repository.id": "\(config.id)", "object.key": "\(RepositoryConfig.objectKey)"]
            )
            do {
                try await store.put(
                    RepositoryConfig.objectKey,
                    contents: jsonEncoder().encode(config),
                    mode: .createOnly
                )
            } catch let error as ObjectStoreError where error.code == .alreadyExists {
                // Another process restored it first.
            }
        }
        logger.debug(
            "repository opened",
            metadata: ["repository.id": "\(config.id)", "key.id": "\(repository.openedWithKey ?? "none")"]
        )
        return repository
    }
}
