import AzureKit
import Foundation
import NIOHTTP1
import Testing

@testable import LocalCloud

@Suite struct CloudMetadataTests {
    @Test func metadataNamesLocalCloudsOwnEndpoints() async throws {
        try await TestCloud.with { cloud in
            let base = cloud.endpoints.authorityHost
            let current = try await cloud.send(.GET, "\(base)/metadata/endpoints?api-version=2022-09-01")
            #expect(current.status == 200)
            let document = try #require(current.json)
            #expect(document["resourceManager"]?.stringValue == cloud.endpoints.resourceManager)
            #expect(document["authentication"]?["loginEndpoint"]?.stringValue == cloud.endpoints.authorityHost)
            let audiences = document["authentication"]?["audiences"]?.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(audiences.contains("https://management.core.windows.net/"))
            #expect(audiences.contains("https://management.azure.com/"))
            #expect(document["suffixes"]?["storage"]?.stringValue != nil)
            #expect(document["name"]?.stringValue == "LocalCloud")

            let listing = try await cloud.send(.GET, "\(base)/metadata/endpoints?api-version=2019-05-01")
            #expect(listing.status == 200)
            let clouds = try #require(listing.json?.arrayValue)
            #expect(clouds.count == 1)
            #expect(clouds.first?["resourceManager"]?.stringValue == cloud.endpoints.resourceManager)
            // `az cloud register` joins the Resource Manager URL, which ends in `/`, and `/metadata/…`.
            let oldest = try await cloud.send(.GET, "\(base)//metadata/endpoints?api-version=2015-01-01")
            #expect(oldest.json?["resourceManager"]?.stringValue == cloud.endpoints.resourceManager)

            // A token from the login endpoint the document names is accepted by the Resource Manager it names.
            let token = try await cloud.token(scope: "\(audiences[0]).default")
            let subscriptions = try await cloud.send(
                .GET,
                (document["resourceManager"]?.stringValue ?? "") + "subscriptions?api-version=2022-12-01",
                headers: [("Authorization", "Bearer \(token)")]
            )
            #expect(subscriptions.status == 200)
        }
    }

    /// `metadata` is a valid storage account name: its container `endpoints` stays reachable as storage.
    @Test func aStorageAccountNamedMetadataKeepsItsContainer() async throws {
        try await TestCloud.with { cloud in
            let key = try await cloud.makeAccount("metadata")
            let signer = SharedKeySigner(account: "metadata", key: key)
            let base = "\(cloud.endpoints.authorityHost)/metadata"
            let created = try await cloud.send(
                .PUT,
                "\(base)/endpoints?restype=container",
                headers: signer.headers(method: "PUT", url: "\(base)/endpoints?restype=container")
            )
            #expect(created.status == 201)
            let properties = try await cloud.send(
                .GET,
                "\(base)/endpoints?restype=container",
                headers: signer.headers(method: "GET", url: "\(base)/endpoints?restype=container")
            )
            #expect(properties.status == 200)
            #expect(properties.header("etag") != nil)
            let document = try await cloud.send(
                .GET,
                "\(cloud.endpoints.authorityHost)/metadata/endpoints?api-version=2022-09-01"
            )
            #expect(document.json?["resourceManager"]?.stringValue == cloud.endpoints.resourceManager)
        }
    }
}
