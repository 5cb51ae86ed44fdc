import Foundation
import Logging
import NIOCore
import NIOHTTP1

extension ARMClient {
    /// The path of a disk access resource.
    public func diskAccessPath(resourceGroup: String, name: String) -> String {
        resourcePath(resourceGroup: resourceGroup, provider: "Microsoft.Compute", type: "diskAccesses", name: name)
    }

    /// Creates or updates a disk access resource and waits.
    @discardableResult
    public func createDiskAccess(
        resourceGroup: String,
        name: String,
        location: String,
        tags: [String: String]? = nil,
        logger: Logger
    ) async throws -> DiskAccess {
        let path = diskAccessPath(resourceGroup: resourceGroup, name: name)
        return try await writeResource(
            .PUT,
            path,
            apiVersion: ARMAPIVersion.disks,
            body: DiskAccess(location: location, tags: tags, properties: ProvisioningProperties()),
            operation: "arm.diskaccess.create",
            logger: logger
        )
    }

    /// A disk access resource, or `nil` if absent.
    public func diskAccess(resourceGroup: String, name: String, logger: Logger) async throws -> DiskAccess? {
        try await getIfExists(
            path: diskAccessPath(resourceGroup: resourceGroup, name: name),
            apiVersion: ARMAPIVersion.disks,
            logger: logger
        )
    }

    /// Deletes a disk access resource and waits.
    public func deleteDiskAccess(resourceGroup: String, name: String, logger: Logger) async throws {
        try await deleteResource(
            diskAccessPath(resourceGroup: resourceGroup, name: name),
            apiVersion: ARMAPIVersion.disks,
            operation: "arm.diskaccess.delete",
            logger: logger
        )
    }
}
