import Foundation
import Logging
import NIOCore
import NIOHTTP1

extension ARMClient {
    /// The path of a storage account.
    public func storageAccountPath(resourceGroup: String, name: String) -> String {
        resourcePath(resourceGroup: resourceGroup, provider: "Microsoft.Storage", type: "storageAccounts", name: name)
    }

    /// Creates a StorageV2 account (name: 3–24 lowercase letters and digits) and waits.
    @discardableResult
    public func createStorageAccount(
        resourceGroup: String,
        name: String,
        location: String,
        sku: String = "Standard_LRS",
        tags: [String: String]? = nil,
        properties: StorageAccountProperties = StorageAccountProperties(),
        logger: Logger
    ) async throws -> StorageAccount {
        let path = storageAccountPath(resourceGroup: resourceGroup, name: name)
        let body = StorageAccount(
            location: location,
            tags: tags,
            sku: ARMSku(name: sku),
            kind: "StorageV2",
            properties: properties
        )
        return try await writeResource(
            .PUT,
            path,
            apiVersion: ARMAPIVersion.storage,
            body: body,
            operation: "arm.storage.create",
            logger: logger
        )
    }

    /// A storage account, or `nil` if absent.
    public func storageAccount(resourceGroup: String, name: String, logger: Logger) async throws -> StorageAccount? {
        try await getIfExists(
            path: storageAccountPath(resourceGroup: resourceGroup, name: name),
            apiVersion: ARMAPIVersion.storage,
            logger: logger
        )
    }

    /// The storage accounts of a resource group.
    public func listStorageAccounts(resourceGroup: String, logger: Logger) -> AzurePagedSequence<StorageAccount> {
        list(
            path: "\(resourceGroupPath(resourceGroup))/providers/Microsoft.Storage/storageAccounts",
            apiVersion: ARMAPIVersion.storage,
            logger: logger
        )
    }

    /// Updates a storage account's tags and properties (PATCH), e.g. `publicNetworkAccess`.
    @discardableResult
    public func updateStorageAccount(
        resourceGroup: String,
        name: String,
        tags: [String: String]? = nil,
        properties: StorageAccountProperties? = nil,
        logger: Logger
    ) async throws -> StorageAccount {
        let path = storageAccountPath(resourceGroup: resourceGroup, name: name)
        let body = StorageAccount(location: nil, tags: tags, properties: properties)
        return try await writeResource(
            .PATCH,
            path,
            apiVersion: ARMAPIVersion.storage,
            body: body,
            operation: "arm.storage.update",
            logger: logger
        )
    }

    /// The account's keys (listKeys, a POST without body that changes nothing and so is retried
    /// like a read).
    public func storageAccountKeys(resourceGroup: String, name: String, logger: Logger) async throws
        -> [StorageAccountKey]
    {
        let path = storageAccountPath(resourceGroup: resourceGroup, name: name) + "/listKeys"
        let response = try await send(
            .POST,
            url: url(path: path, apiVersion: ARMAPIVersion.storage),
            isIdempotent: true,
            operation: "arm.storage.listkeys",
            logger: logger
        )
        return try response.decode(StorageAccountKeyList.self, resource: path).keys
    }

    /// Deletes a storage account (a missing account is not an error).
    public func deleteStorageAccount(resourceGroup: String, name: String, logger: Logger) async throws {
        try await deleteResource(
            storageAccountPath(resourceGroup: resourceGroup, name: name),
            apiVersion: ARMAPIVersion.storage,
            operation: "arm.storage.delete",
            logger: logger
        )
    }
}
