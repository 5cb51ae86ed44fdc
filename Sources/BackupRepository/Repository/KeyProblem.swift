/// Something wrong with one key object that a check reports (``Repository/keyProblems()``).
public struct KeyProblem: Sendable, Hashable, Codable {
    /// What kind of problem this is.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// The key object cannot be decoded, its fields are invalid or altered, or it belongs to
        /// another repository: it opens nothing.
        case damaged
        /// The key derives its wrapping key with cheaper scrypt parameters than the default, so its
        /// password is cheaper to guess.
        case weak
    }

    /// The kind of problem.
    public var kind: Kind
    /// The key object, `keys/<id>`.
    public var objectKey: String
    /// A sentence naming the key and what to do.
    public var message: String
}
