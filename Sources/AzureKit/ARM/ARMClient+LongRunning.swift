import Foundation
import Logging
import NIOHTTP1

extension ARMClient {
    /// Statuses an operation or `provisioningState` ends in.
    static let terminalStates: Set<String> = ["succeeded", "failed", "canceled", "cancelled"]

    /// Sends a request that may start a long-running operation and waits for it to finish.
    ///
    /// Follows `Azure-AsyncOperation` when present, otherwise `Location`, honouring `Retry-After`
    /// (or ``pollInterval``). A PUT or PATCH answered with a non-terminal `provisioningState` is
    /// polled on the resource itself. A `Failed` or `Canceled` operation throws ``AzureError`` with
    /// code ``AzureError/Code/operationFailed`` carrying the operation's error code and message.
    /// - Returns: The final answer chosen by `finalState`.
    @discardableResult
    public func longRunning(
        _ method: HTTPMethod,
        path: String,
        apiVersion: String,
        query: [(String, String)] = [],
        body: (any Encodable & Sendable)? = nil,
        finalState: ARMFinalState? = nil,
        operation: String,
        logger: Logger
    ) async throws -> ARMResponse {
        let originalURL = url(path: path, apiVersion: apiVersion, query: query)
        let finalState = finalState ?? Self.defaultFinalState(for: method)
        var waited = Duration.zero
        var response: ARMResponse
        do {
            response = try await send(method, url: originalURL, body: body, operation: operation, logger: logger)
        } catch let error as AzureError where method == .DELETE && error.isNotFound {
            // Deleting something already gone is success, as ARM's 204 says.
            return ARMResponse(status: 204, headers: [:], body: [])
        }
        let asyncURL = response.headers.first(name: "azure-asyncoperation").flatMap { URL(string: $0) }
        let locationURL = response.headers.first(name: "location").flatMap { URL(string: $0) }
        var logger = logger
        logger[metadataKey: "arm.operation"] = .string(operation)
        logger[metadataKey: "arm.resource"] = .string(path)

        if let asyncURL {
            var status = response
            repeat {
                try await wait(after: status, waited: &waited, resource: path)
                status = try await send(.GET, url: asyncURL, operation: "arm.lro.poll", logger: logger)
            } while try !operationFinished(status, resource: path)
            switch finalState {
            case .none:
                return status
            case .azureAsyncOperation:
                return status
            case .originalURI:
                return try await send(.GET, url: originalURL, operation: "arm.lro.result", logger: logger)
            case .location:
                guard let locationURL else { return status }
                response = try await send(.GET, url: locationURL, operation: "arm.lro.result", logger: logger)
                while response.status == 202 {
                    try await wait(after: response, waited: &waited, resource: path)
                    response = try await send(.GET, url: locationURL, operation: "arm.lro.result", logger: logger)
                }
                return response
            }
        }
        if let locationURL, response.status == 202 || response.status == 201 {
            repeat {
                try await wait(after: response, waited: &waited, resource: path)
                response = try await send(.GET, url: locationURL, operation: "arm.lro.poll", logger: logger)
            } while response.status == 202
            if finalState == .originalURI {
                response = try await send(.GET, url: originalURL, operation: "arm.lro.result", logger: logger)
            } else {
                return response
            }
        }
        // A PUT/PATCH may answer at once with a resource that is still provisioning.
        if method == .PUT || method == .PATCH {
            while let state = provisioningState(response), !Self.terminalStates.contains(state.lowercased()) {
                try await wait(after: response, waited: &waited, resource: path)
                response = try await send(.GET, url: originalURL, operation: "arm.lro.poll", logger: logger)
            }
            if let state = provisioningState(response), state.lowercased() != "succeeded" {
                throw AzureError(
                    .operationFailed,
                    status: response.status,
                    azureCode: state,
                    message: "Provisioning of \(path) ended as \(state).",
                    requestID: response.headers.first(name: "x-ms-request-id"),
                    resource: path
                )
            }
        }
        return response
    }

    static func defaultFinalState(for method: HTTPMethod) -> ARMFinalState {
        switch method {
        case .PUT, .PATCH: .originalURI
        case .DELETE: .none
        default: .location
        }
    }

    func provisioningState(_ response: ARMResponse) -> String? {
        response.json["properties"]?["provisioningState"]?.stringValue
    }

    /// Whether an `Azure-AsyncOperation` status body is terminal; throws when it failed.
    func operationFinished(_ response: ARMResponse, resource: String) throws -> Bool {
        let json = response.json
        guard let status = json["status"]?.stringValue else {
            throw AzureError(
                .invalidResponse,
                status: response.status,
                message: "The operation status of \(resource) has no 'status' field.",
                requestID: response.headers.first(name: "x-ms-request-id"),
                resource: resource
            )
        }
        switch status.lowercased() {
        case "succeeded":
            return true
        case "failed", "canceled", "cancelled":
            let error = json["error"]
            throw AzureError(
                .operationFailed,
                status: response.status,
                azureCode: error?["code"]?.stringValue ?? status,
                message: error?["message"]?.stringValue ?? "The operation on \(resource) ended as \(status).",
                requestID: response.headers.first(name: "x-ms-request-id"),
                resource: resource
            )
        default:
            return false
        }
    }

    /// Sleeps for the answer's `Retry-After`, or ``pollInterval``, within ``operationTimeout``.
    func wait(after response: ARMResponse, waited: inout Duration, resource: String) async throws {
        let delay = AzureError.retryAfter(from: response.headers) ?? pollInterval
        guard waited + delay <= operationTimeout else {
            throw AzureError(
                .operationFailed,
                message:
                    "The operation on \(resource) did not finish within \(operationTimeout); check it in the portal.",
                resource: resource
            )
        }
        try Task.checkCancellation()
        try await client.options.sleep(delay)
        waited += delay
    }
}
