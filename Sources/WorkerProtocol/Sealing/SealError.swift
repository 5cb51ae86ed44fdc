/// Why a sealed value would not open (or could not be sealed).
public struct SealError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public enum Code: String, Sendable, Hashable {
        /// Sealed under another key than this worker's.
        case wrongKey
        /// The tag did not verify: the bytes were altered, or sealed for another worker, job or field.
        case authenticationFailed
        /// The bytes are too short, or the opened value is not what the field holds.
        case malformed
        /// The value could not be encoded or encrypted.
        case sealingFailed
    }

    /// What went wrong.
    public var code: Code
    /// The field concerned.
    public var field: SealedField
    /// The job the seal is bound to.
    public var jobID: String
    /// The worker the seal is bound to.
    public var workerID: String
    /// A sentence a person can act on; it never holds the secret.
    public var message: String

    init(_ code: Code, field: SealedField, jobID: String, workerID: String, detail: String) {
        self.code = code
        self.field = field
        self.jobID = jobID
        self.workerID = workerID
        self.message = "The sealed field \(field) of job \(jobID) for worker \(workerID) \(detail)"
    }

    public var description: String { message }
}
