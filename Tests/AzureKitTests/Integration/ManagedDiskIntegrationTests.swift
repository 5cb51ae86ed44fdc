import AzureKit
import Foundation
import LocalCloud
import NIOCore
import Testing

/// Managed disks against LocalCloud: an upload disk written over a Write SAS, incremental snapshots
/// with tags, beginGetAccess/endGetAccess, and the managed-disk page-range diff
/// (`x-ms-previous-snapshot-url`) after guest writes.
@Suite struct ManagedDiskIntegrationTests {
    @Test func uploadSnapshotGrantAccessAndDiff() async throws {
        try await LocalCloudHarness.with { cloud in
            let arm = cloud.arm
            let group = "rg-disk"
            try await arm.createResourceGroup(group, location: cloud.region, logger: testLogger)
            // Azure wants a fixed VHD: a whole number of MiB (at least 20) plus the 512-byte footer.
            let created = try await arm.createUploadDisk(
                resourceGroup: group,
                name: "d1",
                location: cloud.region,
                dataSize: 32 * 1024 * 1024,
                logger: testLogger
            )
            #expect(created.properties?.diskState == "ReadyToUpload")

            // Upload: write pages through the Write SAS, then end access.
            let uploadURL = try SASURL(
                string: try await arm.grantDiskAccess(
                    resourceGroup: group,
                    name: "d1",
                    access: .write,
                    duration: .seconds(3600),
                    logger: testLogger
                )
            )
            let uploader = try BlobClient(client: cloud.client, sasURL: uploadURL)
            let container = try #require(uploadURL.container)
            let blob = try #require(uploadURL.blob)
            try await uploader.putPages(
                container: container,
                blob: blob,
                offset: 0,
                data: ByteBuffer(repeating: 0xAB, count: 65_536),
                logger: testLogger
            )
            try await uploader.putPages(
                container: container,
                blob: blob,
                offset: 1_048_576,
                data: ByteBuffer(repeating: 0xCD, count: 4096),
                logger: testLogger
            )
            try await arm.revokeDiskAccess(resourceGroup: group, name: "d1", logger: testLogger)
            let disk = try #require(try await arm.disk(resourceGroup: group, name: "d1", logger: testLogger))
            let diskID = try #require(disk.id)
            #expect(disk.properties?.diskState == "Unattached")

            let first = try await arm.createIncrementalSnapshot(
                resourceGroup: group,
                name: "s1",
                location: cloud.region,
                diskID: diskID,
                tags: ["backup": "1"],
                logger: testLogger
            )
            #expect(first.properties?.incremental == true)
            #expect(first.tags?["backup"] == "1")
            let plan = try await GuestDiskIO(cloud: cloud.cloud.services).mutate(disk: diskID, percent: 2, seed: 42)
            let second = try await arm.createIncrementalSnapshot(
                resourceGroup: group,
                name: "s2",
                location: cloud.region,
                diskID: diskID,
                logger: testLogger
            )
            #expect(second.properties?.incrementalSnapshotFamilyId == first.properties?.incrementalSnapshotFamilyId)
            #expect(second.properties?.creationData?.sourceResourceId?.lowercased() == diskID.lowercased())
            let tagged = try await arm.updateSnapshotTags(
                resourceGroup: group,
                name: "s2",
                tags: ["backup": "2"],
                logger: testLogger
            )
            #expect(tagged.tags == ["backup": "2"])
            let names = try await arm.listSnapshots(resourceGroup: group, logger: testLogger).collect().compactMap(
                \.name
            )
            #expect(Set(names) == ["s1", "s2"])

            // Export both snapshots; the first holds exactly the uploaded pages.
            let firstSAS = try await arm.beginSnapshotAccess(
                resourceGroup: group,
                name: "s1",
                duration: .seconds(3600),
                logger: testLogger
            )
            let secondSAS = try await arm.beginSnapshotAccess(
                resourceGroup: group,
                name: "s2",
                duration: .seconds(3600),
                logger: testLogger
            )
            let firstURL = try SASURL(string: firstSAS)
            let secondURL = try SASURL(string: secondSAS)
            let firstReader = try BlobClient(client: cloud.client, sasURL: firstURL)
            let full = try await firstReader.pageRanges(
                container: try #require(firstURL.container),
                blob: try #require(firstURL.blob),
                logger: testLogger
            ).collect()
            let written = full.filter { if case .data = $0 { true } else { false } }.map(\.range)
            #expect(written.contains { $0.start <= 0 && $0.end >= 65_535 })
            #expect(written.contains { $0.start <= 1_048_576 && $0.end >= 1_052_671 })
            let head = try await firstReader.downloadData(
                container: try #require(firstURL.container),
                blob: try #require(firstURL.blob),
                range: PageRange(start: 0, end: 511),
                logger: testLogger
            )
            #expect(Array(head.readableBytesView) == [UInt8](repeating: 0xAB, count: 512))

            // The diff covers every guest write, read back through ranged reads of the newer snapshot.
            let secondReader = try BlobClient(client: cloud.client, sasURL: secondURL)
            let secondContainer = try #require(secondURL.container)
            let secondBlob = try #require(secondURL.blob)
            let diff = try await secondReader.pageRanges(
                container: secondContainer,
                blob: secondBlob,
                previous: .url(firstSAS),
                pageSize: 3,
                logger: testLogger
            ).collect()
            let changed = diff.compactMap { entry -> PageRange? in
                if case .data(let range) = entry { range } else { nil }
            }
            #expect(!changed.isEmpty)
            for write in plan.writes {
                #expect(changed.contains { $0.start <= write.offset && $0.end >= write.offset + write.length - 1 })
            }
            let sample = try #require(changed.first)
            let bytes = try await secondReader.downloadData(
                container: secondContainer,
                blob: secondBlob,
                range: PageRange(start: sample.start, end: min(sample.end, sample.start + 4095)),
                logger: testLogger
            )
            #expect(Int64(bytes.readableBytes) == min(sample.length, 4096))

            try await arm.endSnapshotAccess(resourceGroup: group, name: "s1", logger: testLogger)
            try await arm.endSnapshotAccess(resourceGroup: group, name: "s2", logger: testLogger)
            let revoked = await #expect(throws: AzureError.self) {
                _ = try await secondReader.pageRangesPage(
                    container: secondContainer,
                    blob: secondBlob,
                    logger: testLogger
                )
            }
            #expect(revoked?.status == 403)

            try await arm.createDiskAccess(
                resourceGroup: group,
                name: "da1",
                location: cloud.region,
                logger: testLogger
            )
            #expect(
                try await arm.diskAccess(resourceGroup: group, name: "da1", logger: testLogger)?.properties?
                    .provisioningState == "Succeeded"
            )
            try await arm.deleteDiskAccess(resourceGroup: group, name: "da1", logger: testLogger)
            try await arm.deleteSnapshot(resourceGroup: group, name: "s2", logger: testLogger)
            try await arm.deleteSnapshot(resourceGroup: group, name: "s1", logger: testLogger)
            try await arm.deleteDisk(resourceGroup: group, name: "d1", logger: testLogger)
            #expect(try await arm.disk(resourceGroup: group, name: "d1", logger: testLogger) == nil)
        }
    }
}
