import AzureKit
import Foundation
import Logging
import NIOCore
import WorkerProtocol

/// Fetches the envelope an ``OverflowPointer`` names from the overflow container, through the worker's private
/// endpoint, and checks it against the pointer (length, SHA-256, header) before it is run.
struct OverflowReader: Sendable {
    let client: AzureClient
    let routing: PrivateEndpointRouting
    let logger: Logger

    /// What reading an overflowed job came to.
    enum Outcome: Sendable {
        /// The real envelope, checked.
        case envelope(Envelope)
        /// The blob cannot be had as sent (expired SAS, deleted blob, broken seal): answer with this failure.
        case failure(JobFailure)
    }

    /// Reads the envelope `pointer` (the body of `envelope`) names.
    /// - Throws: ``UndecodableMessage`` when the blob does not match its pointer or does not decode (the message
    ///   goes to the poison queue); a transient error (throttling or lost connections past the retries) to leave
    ///   the message to a later delivery.
    func read(_ envelope: Envelope, pointer: OverflowPointer, context: SealingContext) async throws -> Outcome {
        guard pointer.length >= 0, pointer.length <= EnvelopeCodec.maxOverflowBytes else {
            throw UndecodableMessage(
                "the overflow blob \(pointer.blobName) of job \(envelope.jobID) is \(pointer.length) bytes; "
                    + "a worker reads at most \(EnvelopeCodec.maxOverflowBytes)"
            )
        }
        let text: String
        do {
            text = try context.open(pointer.url, as: .overflowBlob)
        } catch {
            return .failure(
                JobFailure(
                    .permanent,
                    code: .sealBroken,
                    reason: "the URL of the overflow blob \(pointer.blobName) cannot be opened: \(error)"
                )
            )
        }
        guard let url = URL(string: text), let routed = try? routing.route(url, service: .blob),
            let sas = try? AzureKit.SASURL(string: routed.absoluteString), let container = sas.container,
            let blob = sas.blob
        else {
            return .failure(
                JobFailure(
                    .permanent,
                    code: .invalidJob,
                    reason:
                        "the overflow pointer of job \(envelope.jobID) does not hold a blob SAS URL the worker can "
                        + "reach through its private endpoints (blob \(pointer.blobName)); send the job again"
                )
            )
        }
        let bytes: ByteBuffer
        do {
            let blobs = try BlobClient(client: client, sasURL: sas)
            bytes = try await blobs.downloadData(
                container: container,
                blob: blob,
                maxBytes: EnvelopeCodec.maxOverflowBytes,
                logger: logger
            )
        } catch let error as AzureError where error.status == 403 || error.status == 404 {
            let expired = error.status == 403
            return .failure(
                JobFailure(
                    .permanent,
                    code: expired ? .sasExpired : .notFound,
                    reason: expired
                        ? "the read SAS of the overflow blob \(pointer.blobName) has expired or was revoked "
                            + "(403 \(error.azureCode ?? "")); send the job again with a fresh blob SAS"
                        : "the overflow blob \(pointer.blobName) no longer exists (404 \(error.azureCode ?? "")); "
                            + "upload the job's envelope again and send a new pointer"
                )
            )
        } catch let error as AzureError where error.code == .invalidResponse {
            throw UndecodableMessage(
                "the overflow blob \(pointer.blobName) is larger than \(EnvelopeCodec.maxOverflowBytes) bytes"
            )
        }
        do {
            return .envelope(try EnvelopeCodec().resolve(envelope, blob: Data(bytes.readableBytesView)))
        } catch {
            throw UndecodableMessage(error.message)
        }
    }
}
