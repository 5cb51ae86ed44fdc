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
    /// - Throws: ``RepositoryError`` with ``RepositoryError/Code/alreadyExists`` when the store already holds one.
    public static func create(
        store: any ObjectStore,
        password: String?,
        options: CreateOptions = CreateOptions(),
        logger: Logger = Logger(label: "nimbus.repository", factory: { _ in SwiftLogNoOpLogHandler() })
    ) async throws -> Repository {
        if try await store.head(RepositoryConfig.objectKey) != nil {
            throw RepositoryError(
                .alreadyExists,
                "a repository already exists at \(store.location); open it instead or choose another location"
            )
        }
        let keys = RepositoryKeys.random(encrypted: options.encrypted)
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
            macKey: macKeyText
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
        // The config is written last and create-only: a repository exists once it is there, and two
        // concurrent creations cannot both succeed.
        do {
            try await store.put(RepositoryConfig.objectKey, contents: jsonEncoder().encode(config), mode: .createOnly)
        } catch let error as ObjectStoreError where error.code == .alreadyExists {
            throw RepositoryError(.alreadyExists, "a repository was created at \(store.location) at the same time")
        }
        logger.debug("repository created", metadata: ["repository.id": "\(repositoryID)"])
        return Repository(store: store, config: config, keys: keys, keyID: keyID, logger: logger)
    }

    /// Opens an existing repository.
    /// - Parameter password: The password of any of its keys; ignored (may be `nil`) when unencrypted.
    /// - Throws: ``RepositoryError`` with ``RepositoryError/Code/wrongPassword`` when no key opens,
    ///   ``RepositoryError/Code/notARepository`` when there is no repository.
    public static func open(
        store: any ObjectStore,
        password: String?,
        logger: Logger = Logger(label: "nimbus.repository", factory: { _ in SwiftLogNoOpLogHandler() })
    ) async throws -> Repository {
        let configData: Data
        do {
            configData = try await store.get(RepositoryConfig.objectKey, maxBytes: ObjectSizeLimits.config)
        } catch let error as ObjectStoreError where error.code == .notFound {
            throw RepositoryError(
                .notARepository,
                "\(store.location) is not a Nimbus repository (it has no 'config' object); check the path or run "
                    + "`nimbus repo init`"
            )
        }
        let config: RepositoryConfig
        do {
            config = try jsonDecoder().decode(RepositoryConfig.self, from: configData)
        } catch {
            throw RepositoryError(
                .notARepository,
                "the 'config' object at \(store.location) is not a valid Nimbus repository config",
                objectKey: RepositoryConfig.objectKey
            )
        }
        try config.validate(location: store.location)
        if !config.isEncrypted {
            guard let text = config.macKey, let macKey = Data(base64Encoded: text), macKey.count == 32 else {
                throw RepositoryError.damaged(
                    RepositoryConfig.objectKey,
                    location: store.location,
                    "an unencrypted repository's config lacks its MAC key"
                )
            }
            let keys = RepositoryKeys(dataKey: nil, macKey: .init(data: macKey))
            return Repository(store: store, config: config, keys: keys, keyID: nil, logger: logger)
        }
        guard let password, !password.isEmpty else {
            throw RepositoryError(
                .wrongPassword,
                "the repository at \(store.location) is encrypted: give its password (NIMBUS_PASSWORD or "
                    + "--password-file)"
            )
        }
        for keyFile in try await loadKeyFiles(store: store) {
            if let keys = try keyFile.unwrap(password: password, repositoryID: config.id, location: store.location) {
                logger.debug(
                    "repository opened",
                    metadata: ["repository.id": "\(config.id)", "key.id": "\(keyFile.id)"]
                )
                return Repository(store: store, config: config, keys: keys, keyID: keyFile.id, logger: logger)
            }
        }
        throw RepositoryError(
            .wrongPassword,
            "wrong password for repository at \(store.location): none of its keys opens with it; check the password"
        )
    }

    static func loadKeyFiles(store: any ObjectStore) async throws -> [KeyFile] {
        var files: [KeyFile] = []
        for try await object in store.objects(prefix: KeyFile.prefix) {
            let data = try await store.get(object.key, maxBytes: ObjectSizeLimits.key)
            guard let file = try? jsonDecoder().decode(KeyFile.self, from: data), file.objectKey == object.key else {
                throw RepositoryError.damaged(object.key, location: store.location, "it is not a valid key object")
            }
            files.append(file)
        }
        return files
    }
}
