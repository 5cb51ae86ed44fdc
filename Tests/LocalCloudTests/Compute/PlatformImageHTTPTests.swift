import AzureKit
import Foundation
import NIOHTTP1
import Testing

@testable import LocalCloud

@Suite struct PlatformImageHTTPTests {
    @Test func theCatalogIsListedAndReadInAzuresShape() async throws {
        let cloud = try await ComputeTestCloud.start()
        do {
            let root = "/providers/Microsoft.Compute/locations/westeurope/publishers"
            let publishers = try await cloud.arm(.GET, root)
            #expect(publishers.status == 200)
            #expect(publishers.json?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["Canonical"])

            let offers = try await cloud.arm(.GET, root + "/canonical/artifacttypes/vmimage/offers")
            #expect(offers.status == 200)
            let offerNames = offers.json?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
            #expect(Set(offerNames) == ["0001-com-ubuntu-server-jammy", "ubuntu-24_04-lts"])

            let jammy = root + "/Canonical/artifacttypes/vmimage/offers/0001-com-ubuntu-server-jammy"
            let skus = try await cloud.arm(.GET, jammy + "/skus")
            #expect(
                Set(skus.json?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []) == [
                    "22_04-lts-gen2", "22_04-lts",
                ]
            )

            let versions = try await cloud.arm(.GET, jammy + "/skus/22_04-lts-gen2/versions")
            #expect(versions.status == 200)
            let listed = try #require(versions.json?.arrayValue?.first)
            #expect(listed["name"]?.stringValue == "22.04.202410020")
            #expect(listed["location"]?.stringValue == "westeurope")
            #expect(
                listed["id"]?.stringValue
                    == "/Subscriptions/\(cloud.subscription)/Providers/Microsoft.Compute/Locations/westeurope/Publishers/"
                    + "Canonical/ArtifactTypes/VMImage/Offers/0001-com-ubuntu-server-jammy/Skus/22_04-lts-gen2/Versions/"
                    + "22.04.202410020"
            )
            let latest = try await cloud.arm(
                .GET,
                jammy + "/skus/22_04-lts-gen2/versions",
                query: "&$top=1&$orderby=name%20desc"
            )
            #expect(latest.json?.arrayValue?.count == 1)

            let version = try await cloud.arm(.GET, jammy + "/skus/22_04-lts-gen2/versions/22.04.202410020")
            #expect(version.status == 200)
            #expect(version.json?["name"]?.stringValue == "22.04.202410020")
            #expect(version.json?["properties"]?["hyperVGeneration"]?.stringValue == "V2")
            #expect(version.json?["properties"]?["osDiskImage"]?["operatingSystem"]?.stringValue == "Linux")
            #expect(version.json?["properties"]?["osDiskImage"]?["sizeInGb"]?.intValue == 30)
            let gen1 = try await cloud.arm(.GET, jammy + "/skus/22_04-lts/versions/22.04.202410020")
            #expect(gen1.json?["properties"]?["hyperVGeneration"]?.stringValue == "V1")

            for missing in [
                root + "/Nobody/artifacttypes/vmimage/offers", jammy + "/skus/nope/versions",
                jammy + "/skus/22_04-lts-gen2/versions/1.0.0",
            ] {
                let reply = try await cloud.arm(.GET, missing)
                #expect(reply.status == 404, "\(missing)")
                #expect(reply.json?["error"]?["code"]?.stringValue == "NotFound")
            }
            let badRegion = try await cloud.arm(.GET, "/providers/Microsoft.Compute/locations/moon/publishers")
            #expect(badRegion.status == 400)
            let write = try await cloud.arm(.PUT, root + "/Canonical/artifacttypes/vmimage/offers", body: [:])
            #expect(write.status == 405)
        } catch {
            await cloud.stop()
            throw error
        }
        await cloud.stop()
    }
}
