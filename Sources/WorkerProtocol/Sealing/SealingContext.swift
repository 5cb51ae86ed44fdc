import Crypto
import Foundation

/// Seals and opens the secrets of one job for one worker: the key, the worker ID and the job ID that
/// every seal in the job's messages is bound to.
public struct SealingContext: Sendable, CustomStringConvertible {
    /// The worker's key.
    public var key: WorkerKey
    /// The worker the job is for (or from).
    public var workerID: String
    /// The job.
    public var jobID: String

    /// A context for one job of one worker.
    public init(key: WorkerKey, workerID: String, jobID: String) {
        self.key = key
        self.workerID = workerID
        self.jobID = jobID
    }

    /// The context of an envelope's job: `workerID` is the worker it is addressed to or sent by.
    public init(key: WorkerKey, workerID: String, envelope: Envelope) {
        self.init(key: key, workerID: workerID, jobID: envelope.jobID)
    }

    /// Names the job and worker, never the key.
    public var description: String { "SealingContext(worker \(workerID), job \(jobID), \(key))" }

    /// Seals `value` for `field` with a fresh random nonce.
    /// - Throws: ``SealError`` with ``SealError/Code/sealingFailed`` when the value does not encode.
    public func seal<Value: Codable & Sendable>(_ value: Value, as field: SealedField) throws(SealError) -> Sealed<
        Value
    > {
        do {
            // A one-element array, so that a string or number is a valid JSON document on every platform.
            let plaintext = try JSONEncoder().encode([value])
            let box = try AES.GCM.seal(
                plaintext,
                using: key.symmetric,
                nonce: AES.GCM.Nonce(),
                authenticating: associatedData(field)
            )
            var combined = Data(hexKeyID: key.keyID)
            combined.append(contentsOf: box.nonce)
            combined.append(box.ciphertext)
            combined.append(box.tag)
            return Sealed(combined: combined)
        } catch {
            throw SealError(
                .sealingFailed,
                field: field,
                jobID: jobID,
                workerID: workerID,
                detail: "could not be sealed (\(type(of: error)))."
            )
        }
    }

    /// Opens a value sealed for `field` of this job and worker.
    /// - Throws: ``SealError``: ``SealError/Code/wrongKey`` when sealed under another worker's key,
    ///   ``SealError/Code/authenticationFailed`` when altered or sealed for another worker, job or field,
    ///   ``SealError/Code/malformed`` when the bytes are not a sealed value of this type.
    public func open<Value: Codable & Sendable>(_ sealed: Sealed<Value>, as field: SealedField) throws(SealError)
        -> Value
    {
        let bytes = sealed.combined
        guard bytes.count >= SealBox.minimumLength else {
            throw error(.malformed, field, "is \(bytes.count) bytes, too short to be a sealed value.")
        }
        guard let keyID = sealed.keyID, keyID == key.keyID else {
            throw error(
                .wrongKey,
                field,
                "was sealed under key \(sealed.keyID ?? "?"), not this worker's key \(key.keyID): the message was meant for another worker, or the worker was bootstrapped again with a new key. Send the job again from the appliance."
            )
        }
        let body = bytes.dropFirst(SealBox.keyIDLength)
        let plaintext: Data
        do {
            let box = try AES.GCM.SealedBox(
                nonce: AES.GCM.Nonce(data: body.prefix(SealBox.nonceLength)),
                ciphertext: body.dropFirst(SealBox.nonceLength).dropLast(SealBox.tagLength),
                tag: body.suffix(SealBox.tagLength)
            )
            plaintext = try AES.GCM.open(box, using: key.symmetric, authenticating: associatedData(field))
        } catch {
            throw self.error(
                .authenticationFailed,
                field,
                "does not authenticate: it was altered, or sealed for another worker, job or field. Nothing was used; send the job again from the appliance."
            )
        }
        do {
            let values = try JSONDecoder().decode([Value].self, from: plaintext)
            guard values.count == 1, let value = values.first else {
                throw error(.malformed, field, "holds \(values.count) values, not one.")
            }
            return value
        } catch let sealError as SealError {
            throw sealError
        } catch {
            throw self.error(.malformed, field, "opened, but does not hold a \(Value.self).")
        }
    }

    /// Label, then the worker ID, job ID and field name, each as a 2-byte big-endian length and UTF-8.
    func associatedData(_ field: SealedField) -> Data {
        var data = SealBox.label
        for part in [workerID, jobID, field.rawValue] {
            let utf8 = Array(part.utf8.prefix(Int(UInt16.max)))
            data.append(UInt8(utf8.count >> 8))
            data.append(UInt8(utf8.count & 0xff))
            data.append(contentsOf: utf8)
        }
        return data
    }

    private func error(_ code: SealError.Code, _ field: SealedField, _ detail: String) -> SealError {
        SealError(code, field: field, jobID: jobID, workerID: workerID, detail: detail)
    }
}

extension Data {
    /// The bytes of a hexadecimal string of even length (the key IDs this module writes).
    init(hexKeyID hex: String) {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex, let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex) {
            bytes.append(UInt8(hex[index..<next], radix: 16) ?? 0)
            index = next
        }
        self.init(bytes)
    }
}
