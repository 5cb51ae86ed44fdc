import AzureKit
import Foundation
import LocalCloudTesting
import Testing

@testable import Appliance

@Suite struct DiskAccessManagerTests {
    @Test func anAssociatedSnapshotIsReadableOnlyThroughTheDiskAccessEndpoint() async throws {
        try await TestCloud.with { cloud in
            let identity = try SnapshotTestSupport.identity(cloud)
            let vmID = try await SnapshotTestSupport.vm(cloud, name: "ledger")
            let snapshots = SnapshotService(
                arm: cloud.arm,
                identity: identity,
                tagKey: .random(),
                logger: TestCloud.quiet
            )
            let set = try await snapshots.snapshotVM(
                vmResourceID: vmID,
                resourceGroup: cloud.group,
                sessionID: "s",
                taskID: "t"
            )
            let network = try await RegionalInfrastructure(arm: cloud.arm, identity: identity, logger: TestCloud.quiet)
                .prepare(region: cloud.region)
            let manager = DiskAccessManager(arm: cloud.arm, identity: identity, logger: TestCloud.quiet)
            #expect(manager.applies(to: vmID))
            #expect(
                !manager.applies(
                    to: "/subscriptions/other/resourceGroups/g/providers/Microsoft.Compute/virtualMachines/v"
                )
            )
            let access = try await manager.prepare(in: network)
            #expect(try await manager.prepare(in: network) == access, "a repeat finds the same disk access")
            #expect(
                try await cloud.arm.listPrivateEndpoints(resourceGroup: network.resourceGroup, logger: TestCloud.quiet)
                    .collect().count == 3
            )
            let stored = try #require(
                try await cloud.arm.diskAccess(
                    resourceGroup: network.resourceGroup,
                    name: ResourceNames(identity: identity).diskAccess(region: cloud.region),
                    logger: TestCloud.quiet
                )
            )
            #expect(ApplianceTags.isOwned(stored.tags, by: identity))

            try await manager.associate(set, with: access)
            try await manager.associate(set, with: access)
            for disk in set.disks {
                let snapshot = try await cloud.arm.snapshot(
                    resourceGroup: disk.resourceGroup,
                    name: disk.snapshotName,
                    logger: TestCloud.quiet
                )
                #expect(snapshot?.properties?.networkAccessPolicy == "AllowPrivate")
                #expect(snapshot?.properties?.diskAccessId?.lowercased() == access.diskAccessID.lowercased())
                #expect(snapshot?.tags?.keys.contains("nimbus-meta-0") == true, "the sealed tags stay")
            }
            #expect(try await snapshots.listSets(resourceGroups: [cloud.group]).count == 1)

            let sas = try await snapshots.grantRead(snapshot: set.disks[0], duration: .seconds(600))
            let container = try #require(sas.container)
            let blob = try #require(sas.blob)
            let outside = try BlobClient(client: cloud.client, sasURL: sas)
            let refused = await #expect(throws: AzureError.self) {
                _ = try await outside.downloadData(
                    container: container,
                    blob: blob,
                    range: PageRange(start: 0, end: 511),
                    logger: TestCloud.quiet
                )
            }
            #expect(refused?.status == 403)
            #expect(refused?.azureCode == "AuthorizationFailure")
            let inside = try BlobClient(
                client: cloud.client,
                sasURL: SASURL(SnapshotTestSupport.through(sas.url, address: access.privateAddress))
            )
            _ = try await inside.downloadData(
                container: container,
                blob: blob,
                range: PageRange(start: 0, end: 511),
                logger: TestCloud.quiet
            )
            // The storage account's endpoint in the same subnet is not the disk access's.
            let wrong = try BlobClient(
                client: cloud.client,
                sasURL: SASURL(SnapshotTestSupport.through(sas.url, address: network.blobPrivateAddress))
            )
            await #expect(throws: AzureError.self) {
                _ = try await wrong.downloadData(
                    container: container,
                    blob: blob,
                    range: PageRange(start: 0, end: 511),
                    logger: TestCloud.quiet
                )
            }
            try await snapshots.revoke(snapshot: set.disks[0])
        }
    }
}
