import AzureKit
import Foundation
import LocalCloudTesting
import Logging
import Testing

@testable import Appliance

@Suite struct RegionalInfrastructureTests {
    /// How many of each resource the worker resource group of `network` holds.
    static func counts(_ cloud: TestCloud, _ network: RegionalNetwork) async throws -> [String: Int] {
        let group = network.resourceGroup
        let networks = try await cloud.arm.listVirtualNetworks(resourceGroup: group, logger: TestCloud.quiet).collect()
        let accounts = try await cloud.arm.listStorageAccounts(resourceGroup: group, logger: TestCloud.quiet).collect()
        let endpoints = try await cloud.arm.listPrivateEndpoints(resourceGroup: group, logger: TestCloud.quiet)
            .collect()
        return [
            "virtualNetworks": networks.count, "storageAccounts": accounts.count, "privateEndpoints": endpoints.count,
        ]
    }

    static func isConflict(_ error: ApplianceError?) -> Bool {
        if case .conflict? = error { true } else { false }
    }

    static let oneSet = ["virtualNetworks": 1, "storageAccounts": 1, "privateEndpoints": 2]

    @Test func prepareCreatesTaggedPrivateInfrastructureOnceAndFindsItAgain() async throws {
        try await TestCloud.with { cloud in
            let identity = try SnapshotTestSupport.identity(cloud)
            let infrastructure = RegionalInfrastructure(arm: cloud.arm, identity: identity, logger: TestCloud.quiet)
            let network = try await infrastructure.prepare(region: cloud.region)
            let names = ResourceNames(identity: identity)
            #expect(network.resourceGroup == names.workerResourceGroup(region: cloud.region))
            #expect(network.storageAccountName == names.workerStorageAccount(region: cloud.region))
            #expect(network.subnetID.hasSuffix("/subnets/workers"))
            #expect(network.blobPrivateAddress != network.queuePrivateAddress)
            #expect(try await Self.counts(cloud, network) == Self.oneSet)

            let account = try #require(
                try await cloud.arm.storageAccount(
                    resourceGroup: network.resourceGroup,
                    name: network.storageAccountName,
                    logger: TestCloud.quiet
                )
            )
            #expect(account.tags?[ApplianceTags.appliance] == identity.vmResourceID)
            #expect(account.properties?.publicNetworkAccess == "Disabled")
            let subnet = try #require(
                try await cloud.arm.subnet(
                    resourceGroup: network.resourceGroup,
                    virtualNetwork: names.workerNetwork(region: cloud.region),
                    name: "workers",
                    logger: TestCloud.quiet
                )
            )
            #expect(subnet.properties?.privateEndpointNetworkPolicies == "Disabled")

            let again = try await infrastructure.prepare(region: cloud.region)
            #expect(again == network)
            #expect(try await Self.counts(cloud, network) == Self.oneSet)
        }
    }

    @Test func concurrentPreparationsOfOneRegionMakeOneSet() async throws {
        try await TestCloud.with { cloud in
            let identity = try SnapshotTestSupport.identity(cloud)
            // Within one process: one preparation is shared, so each resource is created (and logged) once.
            let recorder = SnapshotLogRecorder()
            let shared = RegionalInfrastructure(arm: cloud.arm, identity: identity, logger: recorder.logger)
            async let first = shared.prepare(region: cloud.region)
            async let second = shared.prepare(region: cloud.region)
            let (a, b) = try await (first, second)
            #expect(a == b)
            #expect(try await Self.counts(cloud, a) == Self.oneSet)
            let created = recorder.logged(.info).filter { $0.message == "infrastructure.created" }
            #expect(
                created.compactMap { $0.metadata["resource.kind"] }.sorted()
                    == ["private endpoint", "private endpoint", "resource group", "storage account", "virtual network"]
            )

            // Across processes (two instances): deterministic names and PUTs converge on one set.
            let region = "northeurope"
            let left = RegionalInfrastructure(arm: cloud.arm, identity: identity, logger: TestCloud.quiet)
            let right = RegionalInfrastructure(arm: cloud.arm, identity: identity, logger: TestCloud.quiet)
            async let leftNetwork = left.prepare(region: region)
            async let rightNetwork = right.prepare(region: region)
            let (l, r) = try await (leftNetwork, rightNetwork)
            #expect(l.resourceGroup == r.resourceGroup)
            #expect(l.virtualNetworkID == r.virtualNetworkID)
            #expect(l.subnetID == r.subnetID)
            #expect(l.storageAccountID == r.storageAccountID)
            #expect(l.blobPrivateEndpointID == r.blobPrivateEndpointID)
            #expect(l.queuePrivateEndpointID == r.queuePrivateEndpointID)
            #expect(try await Self.counts(cloud, l) == Self.oneSet)
            // Whichever write came last, a later preparation finds that one set again.
            let settled = try await left.prepare(region: region)
            #expect(try await right.prepare(region: region) == settled)
            #expect(try await Self.counts(cloud, settled) == Self.oneSet)
        }
    }

    @Test func aResourceOfOurNameWithoutOurTagIsNotTakenOver() async throws {
        try await TestCloud.with { cloud in
            let identity = try SnapshotTestSupport.identity(cloud)
            let names = ResourceNames(identity: identity)
            let infrastructure = RegionalInfrastructure(arm: cloud.arm, identity: identity, logger: TestCloud.quiet)

            // An untagged resource group of the worker group's name.
            let takenGroup = names.workerResourceGroup(region: "northeurope")
            try await cloud.arm.createResourceGroup(takenGroup, location: "northeurope", logger: TestCloud.quiet)
            let groupError = await #expect(throws: ApplianceError.self) {
                try await infrastructure.prepare(region: "northeurope")
            }
            #expect(Self.isConflict(groupError))
            #expect(groupError?.description.contains(takenGroup) == true)

            // Our group, but someone else's storage account of the account's name in it.
            let group = names.workerResourceGroup(region: cloud.region)
            try await cloud.arm.createResourceGroup(
                group,
                location: cloud.region,
                tags: ApplianceTags.owned(by: identity, role: .workerNetwork, region: cloud.region),
                logger: TestCloud.quiet
            )
            let accountName = names.workerStorageAccount(region: cloud.region)
            try await cloud.arm.createStorageAccount(
                resourceGroup: group,
                name: accountName,
                location: cloud.region,
                tags: ["owner": "someone"],
                logger: TestCloud.quiet
            )
            let accountError = await #expect(throws: ApplianceError.self) {
                try await infrastructure.prepare(region: cloud.region)
            }
            #expect(Self.isConflict(accountError))
            #expect(accountError?.description.contains("storage account \(accountName)") == true)
            let account = try await cloud.arm.storageAccount(
                resourceGroup: group,
                name: accountName,
                logger: TestCloud.quiet
            )
            #expect(account?.tags == ["owner": "someone"], "the account was left as it was")

            // The account's name taken by an account in another resource group.
            let elsewhere = names.workerStorageAccount(region: "eastus")
            try await cloud.arm.createStorageAccount(
                resourceGroup: cloud.group,
                name: elsewhere,
                location: "eastus",
                logger: TestCloud.quiet
            )
            let takenError = await #expect(throws: ApplianceError.self) {
                try await infrastructure.prepare(region: "eastus")
            }
            #expect(Self.isConflict(takenError))
            #expect(takenError?.description.contains(elsewhere) == true)

            let badRegion = await #expect(throws: ApplianceError.self) {
                try await infrastructure.prepare(region: "west europe")
            }
            #expect(badRegion?.description.contains("west europe") == true)
        }
    }

    @Test func theAccountAnswersOnlyThroughItsPrivateEndpoints() async throws {
        try await TestCloud.with { cloud in
            let identity = try SnapshotTestSupport.identity(cloud)
            let infrastructure = RegionalInfrastructure(arm: cloud.arm, identity: identity, logger: TestCloud.quiet)
            let network = try await infrastructure.prepare(region: cloud.region)
            let key = try await cloud.arm.storageAccountKeys(
                resourceGroup: network.resourceGroup,
                name: network.storageAccountName,
                logger: TestCloud.quiet
            )[0].value
            let credential = try StorageSharedKeyCredential(accountName: network.storageAccountName, accountKey: key)

            let outside = BlobClient(
                client: cloud.client,
                endpoint: network.blobEndpoint,
                authorization: .sharedKey(credential)
            )
            let refused = await #expect(throws: AzureError.self) {
                _ = try await outside.createContainer("probe", logger: TestCloud.quiet)
            }
            #expect(refused?.status == 403)
            #expect(refused?.azureCode == "AuthorizationFailure")
            let outsideQueues = QueueClient(
                client: cloud.client,
                endpoint: network.queueEndpoint,
                authorization: .sharedKey(credential)
            )
            let queueRefused = await #expect(throws: AzureError.self) {
                _ = try await outsideQueues.createQueue("probe", logger: TestCloud.quiet)
            }
            #expect(queueRefused?.azureCode == "AuthorizationFailure")

            let inside = BlobClient(
                client: cloud.client,
                endpoint: SnapshotTestSupport.through(network.blobEndpoint, address: network.blobPrivateAddress),
                authorization: .sharedKey(credential)
            )
            #expect(try await inside.createContainer("probe", logger: TestCloud.quiet))
            let insideQueues = QueueClient(
                client: cloud.client,
                endpoint: SnapshotTestSupport.through(network.queueEndpoint, address: network.queuePrivateAddress),
                authorization: .sharedKey(credential)
            )
            #expect(try await insideQueues.createQueue("probe", logger: TestCloud.quiet))
            // The blob endpoint's address does not serve the queue service.
            let crossed = QueueClient(
                client: cloud.client,
                endpoint: SnapshotTestSupport.through(network.queueEndpoint, address: network.blobPrivateAddress),
                authorization: .sharedKey(credential)
            )
            await #expect(throws: AzureError.self) {
                _ = try await crossed.createQueue("other", logger: TestCloud.quiet)
            }
        }
    }
}
