import Foundation
import Logging
import NIOHTTP1

/// Where the result of a finished long-running operation is read.
public enum ARMFinalState: Sendable, Hashable {
    /// GET the resource's own URL (PUT and PATCH).
    case originalURI
    /// GET the `Location` URL, or use the last `Location` poll answer (POST actions such as beginGetAccess).
    case location
    /// The operation status body itself (its `properties.output`).
    case azureAsyncOperation
    /// No result (DELETE, and actions without output).
    case none
}
