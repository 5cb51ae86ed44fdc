import Foundation

extension Repository {
    /// Adds a password: a new key object wrapping the same repository keys.
    /// - Returns: The new key's description.
    @discardableResult
    public func addKey(
        password: String,
        label: String = "",
        parameters: ScryptParameters = .standard
    ) async throws -> KeyFile {
        guard config.isEncrypted else {
            throw RepositoryError(.invalidArgument, "the repository at \(location) is unencrypted and has no keys")
        }
        let keyFile = try KeyFile.make(
            keys: keys,
            password: password,
            parameters: parameters,
            repositoryID: config.id,
            label: label
        )
        try await store.put(keyFile.objectKey, contents: Self.jsonEncoder().encode(keyFile), mode: .createOnly)
        return keyFile
    }

    /// The repository's key objects (their public fields only matter; wrapped keys stay wrapped).
    public func listKeys() async throws -> [KeyFile] {
        try await Self.loadKeyFiles(store: store).sorted { $0.created < $1.created }
    }

    /// Removes a key object. The last key can never be removed.
    public func removeKey(id: String) async throws {
        let all = try await listKeys()
        guard all.contains(where: { $0.id == id }) else {
            throw RepositoryError(.keyNotFound, "no key with ID '\(id)' in the repository at \(location)")
        }
        guard all.count > 1 else {
            throw RepositoryError(
                .lastKey,
                "key '\(id)' is the repository's only key; add another password before removing it"
            )
        }
        try await store.delete(KeyFile.prefix + id)
    }
}
