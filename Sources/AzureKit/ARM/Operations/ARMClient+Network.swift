import Foundation
import Logging
import NIOCore
import NIOHTTP1

extension ARMClient {
    /// The path of a virtual network.
    public func virtualNetworkPath(resourceGroup: String, name: String) -> String {
        resourcePath(resourceGroup: resourceGroup, provider: "Microsoft.Network", type: "virtualNetworks", name: name)
    }

    /// Creates or updates a virtual network (with its full set of subnets) and waits.
    @discardableResult
    public func createVirtualNetwork(resourceGroup: String, name: String, network: VirtualNetwork, logger: Logger)
        async throws
        -> VirtualNetwork
    {
        let path = virtualNetworkPath(resourceGroup: resourceGroup, name: name)
        return try await writeResource(
            .PUT,
            path,
            apiVersion: ARMAPIVersion.network,
            body: network,
            operation: "arm.vnet.create",
            logger: logger
        )
    }

    /// A virtual network, or `nil` if absent.
    public func virtualNetwork(resourceGroup: String, name: String, logger: Logger) async throws -> VirtualNetwork? {
        try await getIfExists(
            path: virtualNetworkPath(resourceGroup: resourceGroup, name: name),
            apiVersion: ARMAPIVersion.network,
            logger: logger
        )
    }

    /// The virtual networks of a resource group.
    public func listVirtualNetworks(resourceGroup: String, logger: Logger) -> AzurePagedSequence<VirtualNetwork> {
        list(
            path: "\(resourceGroupPath(resourceGroup))/providers/Microsoft.Network/virtualNetworks",
            apiVersion: ARMAPIVersion.network,
            logger: logger
        )
    }

    /// Deletes a virtual network and waits.
    public func deleteVirtualNetwork(resourceGroup: String, name: String, logger: Logger) async throws {
        try await deleteResource(
            virtualNetworkPath(resourceGroup: resourceGroup, name: name),
            apiVersion: ARMAPIVersion.network,
            operation: "arm.vnet.delete",
            logger: logger
        )
    }

    /// Creates or updates one subnet of a virtual network (as a child resource) and waits.
    @discardableResult
    public func createSubnet(
        resourceGroup: String,
        virtualNetwork: String,
        name: String,
        properties: SubnetProperties,
        logger: Logger
    ) async throws -> Subnet {
        let path = virtualNetworkPath(resourceGroup: resourceGroup, name: virtualNetwork) + "/subnets/\(name)"
        return try await writeResource(
            .PUT,
            path,
            apiVersion: ARMAPIVersion.network,
            body: Subnet(name: nil, properties: properties),
            operation: "arm.subnet.create",
            logger: logger
        )
    }

    /// A subnet, or `nil` if absent.
    public func subnet(resourceGroup: String, virtualNetwork: String, name: String, logger: Logger) async throws
        -> Subnet?
    {
        try await getIfExists(
            path: virtualNetworkPath(resourceGroup: resourceGroup, name: virtualNetwork) + "/subnets/\(name)",
            apiVersion: ARMAPIVersion.network,
            logger: logger
        )
    }

    /// The path of a private endpoint.
    public func privateEndpointPath(resourceGroup: String, name: String) -> String {
        resourcePath(resourceGroup: resourceGroup, provider: "Microsoft.Network", type: "privateEndpoints", name: name)
    }

    /// Creates a private endpoint in `subnetID` to sub-resources `groupIDs` (`blob`, `queue`,
    /// `disks`) of `resourceID`, waits, and returns it with its NIC and DNS configuration.
    @discardableResult
    public func createPrivateEndpoint(
        resourceGroup: String,
        name: String,
        location: String,
        subnetID: String,
        resourceID: String,
        groupIDs: [String],
        tags: [String: String]? = nil,
        logger: Logger
    ) async throws -> PrivateEndpoint {
        let path = privateEndpointPath(resourceGroup: resourceGroup, name: name)
        let body = PrivateEndpoint(
            location: location,
            tags: tags,
            properties: PrivateEndpointProperties(
                subnetID: subnetID,
                connectionName: name,
                resourceID: resourceID,
                groupIDs: groupIDs
            )
        )
        return try await writeResource(
            .PUT,
            path,
            apiVersion: ARMAPIVersion.network,
            body: body,
            operation: "arm.pe.create",
            logger: logger
        )
    }

    /// A private endpoint (with `customDnsConfigs` and `networkInterfaces`), or `nil` if absent.
    public func privateEndpoint(resourceGroup: String, name: String, logger: Logger) async throws -> PrivateEndpoint? {
        try await getIfExists(
            path: privateEndpointPath(resourceGroup: resourceGroup, name: name),
            apiVersion: ARMAPIVersion.network,
            logger: logger
        )
    }

    /// The private endpoints of a resource group.
    public func listPrivateEndpoints(resourceGroup: String, logger: Logger) -> AzurePagedSequence<PrivateEndpoint> {
        list(
            path: "\(resourceGroupPath(resourceGroup))/providers/Microsoft.Network/privateEndpoints",
            apiVersion: ARMAPIVersion.network,
            logger: logger
        )
    }

    /// Deletes a private endpoint and waits.
    public func deletePrivateEndpoint(resourceGroup: String, name: String, logger: Logger) async throws {
        try await deleteResource(
            privateEndpointPath(resourceGroup: resourceGroup, name: name),
            apiVersion: ARMAPIVersion.network,
            operation: "arm.pe.delete",
            logger: logger
        )
    }
}
