import AzureKit
import Foundation
import LocalCloud
import Testing

/// A snapshot's network access policy set through PATCH against LocalCloud: the disk access is recorded, the
/// tags stay, and `AllowPrivate` without an existing disk access is refused.
@Suite struct SnapshotNetworkAccessIntegrationTests {
    @Test func networkAccessChangesLeaveTagsAlone() async throws {
        try await LocalCloudHarness.with { cloud in
            let arm = cloud.arm
            let group = "rg-snapaccess"
            try await arm.createResourceGroup(group, location: cloud.region, logger: testLogger)
            let disk = try await arm.createEmptyDisk(
                resourceGroup: group,
                name: "d1",
                location: cloud.region,
                sizeGB: 1,
                logger: testLogger
            )
            try await arm.createIncrementalSnapshot(
                resourceGroup: group,
                name: "s1",
                location: cloud.region,
                diskID: try #require(disk.id),
                tags: ["keep": "me"],
                logger: testLogger
            )
            let access = try await arm.createDiskAccess(
                resourceGroup: group,
                name: "da1",
                location: cloud.region,
                logger: testLogger
            )
            let accessID = try #require(access.id)

            let restricted = try await arm.updateSnapshotNetworkAccess(
                resourceGroup: group,
                name: "s1",
                policy: "AllowPrivate",
                diskAccessID: accessID,
                logger: testLogger
            )
            #expect(restricted.properties?.networkAccessPolicy == "AllowPrivate")
            #expect(restricted.properties?.diskAccessId?.lowercased() == accessID.lowercased())
            #expect(restricted.tags == ["keep": "me"])

            let refused = await #expect(throws: AzureError.self) {
                try await arm.updateSnapshotNetworkAccess(
                    resourceGroup: group,
                    name: "s1",
                    policy: "AllowPrivate",
                    diskAccessID: arm.diskAccessPath(resourceGroup: group, name: "missing"),
                    logger: testLogger
                )
            }
            #expect(refused?.status == 404 || refused?.status == 400)

            let open = try await arm.updateSnapshotNetworkAccess(
                resourceGroup: group,
                name: "s1",
                policy: "AllowAll",
                logger: testLogger
            )
            #expect(open.properties?.networkAccessPolicy == "AllowAll")
            #expect(open.properties?.diskAccessId == nil)
            #expect(open.tags == ["keep": "me"])
        }
    }
}
