import Foundation
import NIOCore
import NIOHTTP1

/// Turns every response with a status outside 200–299 into a thrown ``AzureError``, decoding
/// the body (ARM JSON, storage XML, or anything else as a fallback).
public struct ErrorMappingMiddleware: AzureMiddleware {
    /// The most bytes of an error body that are read.
    public static let maxErrorBodyBytes = 256 * 1024

    /// Creates the middleware.
    public init() {}

    /// Handles `request` and passes it down the chain.
    public func handle(
        _ request: AzureHTTPRequest,
        context: AzureMiddlewareContext,
        next: AzureMiddlewareNext
    ) async throws -> AzureHTTPResponse {
        let response = try await next(request, context)
        guard !(200..<300).contains(response.status.code) else { return response }
        let body = try? await response.body.collect(upTo: Self.maxErrorBodyBytes)
        throw AzureError.decode(
            status: Int(response.status.code),
            headers: response.headers,
            body: body.map { Array($0.readableBytesView) } ?? [],
            resource: "\(request.method) \(request.redactedURL)"
        )
    }
}
