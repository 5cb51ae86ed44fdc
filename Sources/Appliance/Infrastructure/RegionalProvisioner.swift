import AzureKit
import Foundation
import Logging

/// The find-or-create steps of a region's worker infrastructure, one resource at a time, in dependency order.
struct RegionalProvisioner: Sendable {
    /// The worker network's address space and its `workers` subnet.
    static let addressSpace = "10.64.0.0/16"
    static let subnetPrefix = "10.64.1.0/24"

    let arm: ARMClient
    let identity: ApplianceIdentity
    let logger: Logger

    var names: ResourceNames { ResourceNames(identity: identity) }

    func prepare(region: String) async throws -> RegionalNetwork {
        var log = logger
        log[metadataKey: "region"] = "\(region)"
        let group = names.workerResourceGroup(region: region)
        try await resourceGroup(group, region: region, logger: log)
        let subnetID = try await network(group: group, region: region, logger: log)
        let account = try await storageAccount(group: group, region: region, logger: log)
        guard let accountID = account.id, let accountName = account.name,
            let blob = account.properties?.primaryEndpoints?["blob"].flatMap({ URL(string: $0) }),
            let queue = account.properties?.primaryEndpoints?["queue"].flatMap({ URL(string: $0) })
        else {
            throw ApplianceError.cloud("storage account \(names.workerStorageAccount(region: region)) has no endpoints")
        }
        // One after the other: a private endpoint's address is allocated when it is created.
        let blobPE = try await privateEndpoint(
            group: group,
            region: region,
            subnetID: subnetID,
            target: accountID,
            service: "blob",
            name: names.privateEndpoint(account: accountName, service: "blob"),
            logger: log
        )
        let queuePE = try await privateEndpoint(
            group: group,
            region: region,
            subnetID: subnetID,
            target: accountID,
            service: "queue",
            name: names.privateEndpoint(account: accountName, service: "queue"),
            logger: log
        )
        let vnet = arm.virtualNetworkPath(resourceGroup: group, name: names.workerNetwork(region: region))
        log.debug("infrastructure.ready", metadata: ["storage.account": "\(accountName)"])
        return RegionalNetwork(
            region: region,
            resourceGroup: group,
            virtualNetworkID: vnet,
            subnetID: subnetID,
            storageAccountName: accountName,
            storageAccountID: accountID,
            blobEndpoint: blob,
            queueEndpoint: queue,
            blobPrivateEndpointID: blobPE.id,
            queuePrivateEndpointID: queuePE.id,
            blobPrivateAddress: blobPE.address,
            queuePrivateAddress: queuePE.address
        )
    }

    /// Refuses a resource of one of the appliance's names that does not carry its tag.
    func checkOwned(_ tags: [String: String]?, kind: String, name: String) throws(ApplianceError) {
        guard ApplianceTags.isOwned(tags, by: identity) else {
            throw .conflict(
                "the \(kind) \(name) exists but is not tagged \(ApplianceTags.appliance) = \(identity); the "
                    + "appliance does not take over resources it did not create: delete or rename it"
            )
        }
    }

    func tags(_ role: ApplianceTags.Role, region: String) -> [String: String] {
        ApplianceTags.owned(by: identity, role: role, region: region)
    }

    private func resourceGroup(_ name: String, region: String, logger: Logger) async throws {
        if let existing = try await arm.resourceGroup(name, logger: logger) {
            try checkOwned(existing.tags, kind: "resource group", name: name)
            return
        }
        try await arm.createResourceGroup(
            name,
            location: region,
            tags: tags(.workerNetwork, region: region),
            logger: logger
        )
        logger.info(
            "infrastructure.created",
            metadata: ["resource.kind": "resource group", "resource.name": "\(name)"]
        )
    }

    /// The worker network's `workers` subnet (network and subnet created where missing); returns the subnet ID.
    private func network(group: String, region: String, logger: Logger) async throws -> String {
        let name = names.workerNetwork(region: region)
        let subnet = names.workerSubnet
        if let existing = try await arm.virtualNetwork(resourceGroup: group, name: name, logger: logger) {
            try checkOwned(existing.tags, kind: "virtual network", name: name)
            if let found = try await arm.subnet(
                resourceGroup: group,
                virtualNetwork: name,
                name: subnet,
                logger: logger
            ), let id = found.id {
                return id
            }
        }
        try await arm.createVirtualNetwork(
            resourceGroup: group,
            name: name,
            network: VirtualNetwork(
                location: region,
                tags: tags(.workerNetwork, region: region),
                properties: VirtualNetworkProperties(
                    addressPrefixes: [Self.addressSpace],
                    subnets: [
                        Subnet(
                            name: subnet,
                            properties: SubnetProperties(
                                addressPrefix: Self.subnetPrefix,
                                privateEndpointNetworkPolicies: "Disabled"
                            )
                        )
                    ]
                )
            ),
            logger: logger
        )
        logger.info(
            "infrastructure.created",
            metadata: ["resource.kind": "virtual network", "resource.name": "\(name)"]
        )
        guard
            let id = try await arm.subnet(resourceGroup: group, virtualNetwork: name, name: subnet, logger: logger)?.id
        else {
            throw ApplianceError.cloud("subnet \(subnet) of virtual network \(name) is missing after its creation")
        }
        return id
    }

    /// The region's storage account, public network access disabled, provisioned.
    private func storageAccount(group: String, region: String, logger: Logger) async throws -> StorageAccount {
        let name = names.workerStorageAccount(region: region)
        var account = try await arm.storageAccount(resourceGroup: group, name: name, logger: logger)
        if let existing = account {
            try checkOwned(existing.tags, kind: "storage account", name: name)
            if existing.properties?.publicNetworkAccess != "Disabled" {
                account = try await arm.updateStorageAccount(
                    resourceGroup: group,
                    name: name,
                    properties: Self.privateOnly,
                    logger: logger
                )
            }
        } else {
            do {
                account = try await arm.createStorageAccount(
                    resourceGroup: group,
                    name: name,
                    location: region,
                    tags: tags(.workerStorage, region: region),
                    properties: StorageAccountProperties(publicNetworkAccess: "Disabled"),
                    logger: logger
                )
            } catch let error as AzureError where error.azureCode == "StorageAccountAlreadyTaken" {
                throw ApplianceError.conflict(
                    "the storage account name \(name) is taken by an account outside resource group \(group); the "
                        + "appliance does not take it over: delete that account"
                )
            }
            logger.info(
                "infrastructure.created",
                metadata: ["resource.kind": "storage account", "resource.name": "\(name)"]
            )
        }
        return try await provisioned(account, group: group, name: name, logger: logger)
    }

    /// A PATCH that turns public network access off and changes nothing else.
    static let privateOnly = StorageAccountProperties(
        publicNetworkAccess: "Disabled",
        allowBlobPublicAccess: nil,
        minimumTlsVersion: nil,
        supportsHttpsTrafficOnly: nil
    )

    /// Waits until an account another process is still creating is provisioned.
    private func provisioned(_ account: StorageAccount?, group: String, name: String, logger: Logger) async throws
        -> StorageAccount
    {
        var current = account
        let deadline = ContinuousClock.now + arm.operationTimeout
        while current?.properties?.provisioningState != "Succeeded" {
            if let state = current?.properties?.provisioningState, state == "Failed" {
                throw ApplianceError.cloud("storage account \(name) failed to provision; delete it and retry")
            }
            guard ContinuousClock.now < deadline else {
                throw ApplianceError.timedOut("storage account \(name) was not provisioned in time")
            }
            try await Task.sleep(for: arm.pollInterval)
            current = try await arm.storageAccount(resourceGroup: group, name: name, logger: logger)
        }
        guard let current else { throw ApplianceError.cloud("storage account \(name) vanished while provisioning") }
        return current
    }

    /// A private endpoint to `service` of `target` in the worker subnet; returns its ID and private address.
    func privateEndpoint(
        group: String,
        region: String,
        subnetID: String,
        target: String,
        service: String,
        name: String,
        role: ApplianceTags.Role = .privateEndpoint,
        logger: Logger
    ) async throws -> (id: String, address: String) {
        var endpoint = try await arm.privateEndpoint(resourceGroup: group, name: name, logger: logger)
        if let existing = endpoint {
            try checkOwned(existing.tags, kind: "private endpoint", name: name)
            let connection = existing.properties?.privateLinkServiceConnections?.first?.properties
            guard connection?.privateLinkServiceId?.lowercased() == target.lowercased(),
                connection?.groupIds?.contains(service) == true
            else {
                throw ApplianceError.conflict(
                    "private endpoint \(name) connects to another resource than \(service) of \(target); delete it"
                )
            }
        } else {
            endpoint = try await arm.createPrivateEndpoint(
                resourceGroup: group,
                name: name,
                location: region,
                subnetID: subnetID,
                resourceID: target,
                groupIDs: [service],
                tags: tags(role, region: region),
                logger: logger
            )
            logger.info(
                "infrastructure.created",
                metadata: ["resource.kind": "private endpoint", "resource.name": "\(name)"]
            )
        }
        guard let address = endpoint?.properties?.customDnsConfigs?.first?.ipAddresses?.first else {
            throw ApplianceError.cloud("private endpoint \(name) has no private address")
        }
        return (endpoint?.id ?? arm.privateEndpointPath(resourceGroup: group, name: name), address)
    }
}
