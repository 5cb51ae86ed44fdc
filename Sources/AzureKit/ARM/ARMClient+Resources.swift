import Foundation
import Logging
import NIOHTTP1

extension ARMClient {
    /// PUTs `body` at `path` (create or replace), waits for the long-running operation and decodes
    /// the resource as it ends up.
    func createOrUpdate<Resource: Decodable>(
        _ path: String,
        apiVersion: String,
        body: any Encodable & Sendable,
        operation: String,
        logger: Logger
    ) async throws -> Resource {
        try await longRunning(
            .PUT,
            path: path,
            apiVersion: apiVersion,
            body: body,
            operation: operation,
            logger: logger
        )
        .decode(resource: path)
    }

    /// PATCHes `body` at `path`, waits, and decodes the updated resource.
    func patch<Resource: Decodable>(
        _ path: String,
        apiVersion: String,
        body: any Encodable & Sendable,
        operation: String,
        logger: Logger
    ) async throws -> Resource {
        try await longRunning(
            .PATCH,
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
