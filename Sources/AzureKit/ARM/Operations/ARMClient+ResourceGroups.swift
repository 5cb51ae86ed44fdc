import Foundation
import Logging
import NIOCore
import NIOHTTP1

extension ARMClient {
    /// Creates or updates a resource group.
    @discardableResult
    public func createResourceGroup(_ name: String, location: String, tags: [String: String]? = nil, logger: Logger)
        async throws
        -> ResourceGroup
    {
        let body = ResourceGroup(location: location, tags: tags, properties: nil)
        return try await writeResource(
            .PUT,
            resourceGroupPath(name),
            apiVersion: ARMAPIVersion.resources,
            body: body,
            operation: "arm.resourcegroup.create",
            logger: logger
        )
    }

    /// A resource group, or `nil` if it does not exist.
    public func resourceGroup(_ name: String, logger: Logger) async throws -> ResourceGroup? {
        try await getIfExists(path: resourceGroupPath(name), apiVersion: ARMAPIVersion.resources, logger: logger)
    }

    /// The subscription's resource groups.
    public func listResourceGroups(logger: Logger) -> AzurePagedSequence<ResourceGroup> {
        list(
            path: "/subscriptions/\(subscriptionID)/resourcegroups",
            apiVersion: ARMAPIVersion.resources,
            logger: logger
        )
    }

    /// Deletes a resource group and everything in it, waiting for completion.
    public func deleteResourceGroup(_ name: String, logger: Logger) async throws {
        try await deleteResource(
            resourceGroupPath(name),
            apiVersion: ARMAPIVersion.resources,
            operation: "arm.resourcegroup.delete",
            logger: logger
        )
    }
}
