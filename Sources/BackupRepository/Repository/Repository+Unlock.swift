import Foundation

extension Repository {
    /// Reads the config, falling back to its copy when `config` itself is missing.
    /// - Returns: The config, and whether it came from the copy.
    static func readConfig(store: any ObjectStore) async throws -> (config: RepositoryConfig, fromCopy: Bool) {
        if let data = try await getIfPresent(RepositoryConfig.objectKey, in: store) {
            return (try decodeConfig(data, objectKey: RepositoryConfig.objectKey, location: store.location), false)
        }
        if let copy = try await getIfPresent(RepositoryConfig.copyObjectKey, in: store) {
            return (try decodeConfig(copy, objectKey: RepositoryConfig.copyObjectKey, location: store.location), true)
        }
        if let leftover = try await firstRepositoryObject(in: store) {
            throw RepositoryError(
                .missingObject,
                "the repository at \(store.location) has lost both 'config' and '\(RepositoryConfig.copyObjectKey)' "
                    + "but still holds '\(leftover)'; restore 'config' from a copy (see \"Recovering config\" in "
                    + "FORMAT.md) — do not run `nimbus repo init` there",
                objectKey: RepositoryConfig.objectKey
            )
        }
        throw RepositoryError(
            .notARepository,
            "\(store.location) is not a Nimbus repository (it has no 'config' object); check the path or run "
                + "`nimbus repo init`"
        )
    }

    /// Finds the data and MAC keys with `password`, trying every well-formed key object of the
    /// repository `config` describes.
    static func unlock(
        store: any ObjectStore,
        config: RepositoryConfig,
        password: String?
    ) async throws -> (keys: RepositoryKeys, keyID: String) {
        let location = store.location
        guard let password, !password.isEmpty else {
            throw RepositoryError(
                .wrongPassword,
                "the repository at \(location) is encrypted: give its password (NIMBUS_PASSWORD or --password-file)"
            )
        }
        let objects = try await KeyObjects.load(store: store)
        guard !objects.isEmpty else {
            throw RepositoryError(
                .missingObject,
                "the repository at \(location) has no key objects under '\(KeyFile.prefix)': without one its data "
                    + "cannot be read; restore '\(KeyFile.prefix)' from a copy",
                objectKey: KeyFile.prefix
            )
        }
        // A key that records another repository ID cannot open this one: its wrapped keys are bound to it.
        let own = objects.intact.filter { ($0.repository ?? config.id) == config.id }
        for keyFile in own {
            if let keys = try keyFile.unwrap(password: password, repositoryID: config.id, location: location) {
                return (keys, keyFile.id)
            }
        }
        if own.isEmpty, let other = objects.intact.first?.repository {
            throw RepositoryError(
                .damagedObject,
                "'\(RepositoryConfig.objectKey)' in \(location) names repository \(config.id), but its key objects "
                    + "belong to repository \(other): the config was altered or replaced; restore it from "
                    + "'\(RepositoryConfig.copyObjectKey)' or a copy",
                objectKey: RepositoryConfig.objectKey
            )
        }
        if let first = objects.damaged.first {
            throw RepositoryError(
                .damagedObject,
                "no intact key of the repository at \(location) opens with this password, and key objects are "
                    + "damaged: \(objects.damagedText); if the password belongs to one of them, restore it from a "
                    + "copy, otherwise check the password",
                objectKey: first.objectKey
            )
        }
        throw RepositoryError(
            .wrongPassword,
            "wrong password for repository at \(location): none of its keys opens with it; check the password"
        )
    }

    /// The first object that only a repository holds (its config, the copy, a key, restore point,
    /// index object or pack), or `nil` when there is none.
    static func firstRepositoryObject(in store: any ObjectStore) async throws -> String? {
        for key in [RepositoryConfig.objectKey, RepositoryConfig.copyObjectKey] {
            if try await store.head(key) != nil { return key }
        }
        for prefix in [KeyFile.prefix, RestorePoint.prefix, IndexObject.prefix, "packs/"] {
            for try await object in store.objects(prefix: prefix) { return object.key }
        }
        return nil
    }

    private static func getIfPresent(_ key: String, in store: any ObjectStore) async throws -> Data? {
        do {
            return try await store.get(key)
        } catch let error as ObjectStoreError where error.code == .notFound {
            return nil
        }
    }

    private static func decodeConfig(_ data: Data, objectKey: String, location: String) throws -> RepositoryConfig {
        let config: RepositoryConfig
        do {
            config = try jsonDecoder().decode(RepositoryConfig.self, from: data)
        } catch {
            throw RepositoryError(
                .notARepository,
                "the '\(objectKey)' object at \(location) is not a valid Nimbus repository config",
                objectKey: objectKey
            )
        }
        try config.validate(location: location)
        return config
    }
}
