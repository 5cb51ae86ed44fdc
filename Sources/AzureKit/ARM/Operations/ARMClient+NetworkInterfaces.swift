import Logging
import NIOHTTP1

extension ARMClient {
    /// The path of a network interface.
    public func networkInterfacePath(resourceGroup: String, name: String) -> String {
        resourcePath(resourceGroup: resourceGroup, provider: "Microsoft.Network", type: "networkInterfaces", name: name)
    }

    /// Creates a NIC with a dynamic private IP in `subnetID` and no public IP, and waits.
    @discardableResult
    public func createNetworkInterface(
        resourceGroup: String,
        name: String,
        location: String,
        subnetID: String,
        tags: [String: String]? = nil,
        logger: Logger
    ) async throws -> NetworkInterface {
        let path = networkInterfacePath(resourceGroup: resourceGroup, name: name)
        let body = NetworkInterface(
            location: location,
            tags: tags,
            properties: NetworkInterfaceProperties(subnetID: subnetID)
        )
        return try await writeResource(
            .PUT,
            path,
            apiVersion: ARMAPIVersion.network,
            body: body,
            operation: "arm.nic.create",
            logger: logger
        )
    }

    /// A network interface, or `nil` if absent.
    public func networkInterface(resourceGroup: String, name: String, logger: Logger) async throws -> NetworkInterface?
    {
        try await getIfExists(
            path: networkInterfacePath(resourceGroup: resourceGroup, name: name),
            apiVersion: ARMAPIVersion.network,
            logger: logger
        )
    }

    /// Deletes a network interface and waits.
    public func deleteNetworkInterface(resourceGroup: String, name: String, logger: Logger) async throws {
        try await deleteResource(
            networkInterfacePath(resourceGroup: resourceGroup, name: name),
            apiVersion: ARMAPIVersion.network,
            operation: "arm.nic.delete",
            logger: logger
        )
    }
}
