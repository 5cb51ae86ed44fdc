import Foundation

/// A repository's key objects as read from `keys/`: the well-formed ones, and the damaged ones with
/// the reason, so that one damaged key object never hides the others.
struct KeyObjects: Sendable {
    /// A key object that cannot be decoded or whose fields are invalid.
    struct Damaged: Sendable, Hashable {
        /// Its object key, `keys/<id>`.
        var objectKey: String
        /// What is wrong with it.
        var reason: String
    }

    /// The well-formed key objects, oldest first.
    var intact: [KeyFile]
    /// The damaged key objects, by object key.
    var damaged: [Damaged]

    /// Whether there is no key object at all.
    var isEmpty: Bool { intact.isEmpty && damaged.isEmpty }

    /// Reads every key object of `store`.
    static func load(store: any ObjectStore) async throws -> KeyObjects {
        var found = KeyObjects(intact: [], damaged: [])
        for try await object in store.objects(prefix: KeyFile.prefix) {
            let data: Data
            do {
                data = try await store.get(object.key)
            } catch let error as ObjectStoreError where error.code == .notFound {
                continue  // removed since it was listed
            }
            guard let file = try? Repository.jsonDecoder().decode(KeyFile.self, from: data) else {
                found.damaged.append(Damaged(objectKey: object.key, reason: "it is not a valid key object (JSON)"))
                continue
            }
            if file.objectKey != object.key {
                found.damaged.append(
                    Damaged(objectKey: object.key, reason: "its ID '\(file.id)' does not match its name")
                )
            } else if let defect = file.defect {
                found.damaged.append(Damaged(objectKey: object.key, reason: defect))
            } else {
                found.intact.append(file)
            }
        }
        found.intact.sort { ($0.created, $0.id) < ($1.created, $1.id) }
        return found
    }

    /// The damaged objects as one phrase: `'keys/a' (reason); 'keys/b' (reason)`.
    var damagedText: String {
        damaged.map { "'\($0.objectKey)' (\($0.reason))" }.joined(separator: "; ")
    }
}
