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

    /// The repository's well-formed key objects, oldest first (their public fields only matter; wrapped
    /// keys stay wrapped). Damaged key objects are left out: ``keyProblems()`` names them.
    public func listKeys() async throws -> [KeyFile] {
        try await KeyObjects.load(store: store).intact
    }

    /// Removes a key object, well-formed or damaged. The last well-formed key can never be removed.
    public func removeKey(id: String) async throws {
        let objects = try await KeyObjects.load(store: store)
        if objects.damaged.contains(where: { $0.objectKey == KeyFile.prefix + id }) {
            try await store.delete(KeyFile.prefix + id)
            return
        }
        let all = objects.intact
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

extension Repository {
    /// The key objects that are damaged, belong to another repository, or are weaker than
    /// ``ScryptParameters/standard``, each with advice. Empty for an unencrypted repository.
    public func keyProblems() async throws -> [KeyProblem] {
        guard config.isEncrypted else { return [] }
        let objects = try await KeyObjects.load(store: store)
        var problems = objects.damaged.map { damaged in
            KeyProblem(
                kind: .damaged,
                objectKey: damaged.objectKey,
                message: "key object '\(damaged.objectKey)' is damaged: \(damaged.reason); restore it from a copy, "
                    + "or remove it with `nimbus repo key remove \(damaged.objectKey.dropFirst(KeyFile.prefix.count))`"
            )
        }
        let standard = ScryptParameters.standard
        for key in objects.intact {
            if let other = key.repository, other != config.id {
                problems.append(
                    KeyProblem(
                        kind: .damaged,
                        objectKey: key.objectKey,
                        message: "key object '\(key.objectKey)' belongs to repository \(other), not \(config.id); "
                            + "it opens nothing here: remove it with `nimbus repo key remove \(key.id)`"
                    )
                )
            } else if key.parameters.isWeaker(than: standard) {
                let label = key.label.isEmpty ? "" : " ('\(key.label)')"
                problems.append(
                    KeyProblem(
                        kind: .weak,
                        objectKey: key.objectKey,
                        message: "key \(key.id)\(label) uses scrypt N=\(key.n) r=\(key.r) p=\(key.p), weaker than the "
                            + "default N=\(standard.n) r=\(standard.r) p=\(standard.p), so its password is cheaper to "
                            + "guess; replace it: `nimbus repo key add`, then `nimbus repo key remove \(key.id)`"
                    )
                )
            }
        }
        return problems
    }
}
