import Foundation
import Logging
import NIOHTTP1

extension ARMClient {
    /// PUTs (create or replace) or PATCHes `body` at `path`, waits for the long-running operation
    /// and decodes the resource as it ends up.
    func writeResource<Resource: Decodable>(
        _ method: HTTPMethod,
        _ path: String,
        apiVersion: String,
        body: any Encodable & Sendable,
        operation: String,
        logger: Logger
    ) async throws -> Resource {
        try await longRunning(
            method,
            path: path,
            apiVersion: apiVersion,
            body: body,
            operation: operation,
            logger: logger
        )
        .decode(resource: path)
    }

    /// DELETEs `path` and waits; a resource that is already gone counts as deleted.
    func deleteResource(_ path: String, apiVersion: String, operation: String, logger: Logger) async throws {
        try await longRunning(.DELETE, path: path, apiVersion: apiVersion, operation: operation, logger: logger)
    }
}
