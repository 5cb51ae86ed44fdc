import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// Adds `x-ms-client-request-id` (a new UUID unless the caller set one) and `x-ms-version` for
/// storage calls, logs each exchange at debug level with `azure.request_id` in the metadata.
public struct ClientRequestIDMiddleware: AzureMiddleware {
    /// Creates the middleware.
    public init() {}

    /// Handles `request` and passes it down the chain.
    public func handle(
        _ request: AzureHTTPRequest,
        context: AzureMiddlewareContext,
        next: AzureMiddlewareNext
    ) async throws -> AzureHTTPResponse {
        var request = request
        let clientRequestID: String
        if let existing = request.headers.first(name: "x-ms-client-request-id") {
            clientRequestID = existing
        } else {
            clientRequestID = UUID().uuidString.lowercased()
            request.headers.replaceOrAdd(name: "x-ms-client-request-id", value: clientRequestID)
        }
        var context = context
        context.logger[metadataKey: "azure.client_request_id"] = .string(clientRequestID)
        context.logger.debug(
            "Azure request",
            metadata: [
                "azure.operation": .string(context.operation),
                "http.method": .string(request.method.rawValue),
                "http.url": .string(request.redactedURL),
            ]
        )
        do {
            let response = try await next(request, context)
            context.logger.debug(
                "Azure response",
                metadata: [
                    "azure.operation": .string(context.operation),
                    "http.status": .stringConvertible(response.status.code),
                    "azure.request_id": .string(response.requestID ?? ""),
                ]
            )
            return response
        } catch let error as AzureError {
            context.logger.debug(
                "Azure request failed",
                metadata: [
                    "azure.operation": .string(context.operation),
                    "http.status": .string(error.status.map(String.init) ?? ""),
                    "azure.error_code": .string(error.azureCode ?? ""),
                    "azure.request_id": .string(error.requestID ?? ""),
                ]
            )
            throw error
        }
    }
}
