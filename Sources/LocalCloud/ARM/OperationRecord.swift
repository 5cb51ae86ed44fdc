import AzureKit
import Foundation
import HTTPTypes

/// A long-running operation as persisted in `DIR/operations/ID.json`: its public record plus how to resume it.
struct OperationRecord: Codable, Sendable {
    /// An ``ARMError`` in a codable form.
    struct StoredError: Codable, Sendable {
        var status: Int
        var code: String
        var message: String
        var target: String?
    }

    var id: String
    var subscriptionID: String
    var namespace: String
    var location: String
    var status: String
    var startTime: Date
    var endTime: Date?
    var result: AzureJSON?
    var error: StoredError?
    var resume: OperationResume?

    init(_ operation: OperationManager.Operation, resume: OperationResume?) {
        id = operation.id
        subscriptionID = operation.subscriptionID
        namespace = operation.namespace
        location = operation.location
        status = operation.status.rawValue
        startTime = operation.startTime
        endTime = operation.endTime
        result = operation.result
        error = operation.error.map {
            StoredError(status: $0.status.code, code: $0.code, message: $0.message, target: $0.target)
        }
        self.resume = resume
    }

    /// The public record; an unknown status reads as `Failed`.
    var operation: OperationManager.Operation {
        OperationManager.Operation(
            id: id,
            subscriptionID: subscriptionID,
            namespace: namespace,
            location: location,
            status: OperationManager.Status(rawValue: status) ?? .failed,
            startTime: startTime,
            endTime: endTime,
            result: result,
            error: error.map {
                ARMError(HTTPResponse.Status(code: $0.status), $0.code, $0.message, target: $0.target)
            }
        )
    }
}
