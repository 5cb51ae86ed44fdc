import AzureKit
import Foundation
import NIOHTTP1
import Testing

/// The request each remaining typed operation sends: method, path and api-version as in
/// Azure/azure-rest-api-specs (Microsoft.Network 2024-05-01 `virtualNetwork.json`, `networkInterface.json`,
/// `privateEndpoint.json`; Microsoft.Storage 2023-05-01 `storage.json`; DiskRP 2024-03-02 `disk.json`).
@Suite struct ARMRequestShapeTests {
    static let rg = "/subscriptions/sub1/resourceGroups/rg/providers"

    @Test func networkStorageAndDiskOperations() async throws {
        try await TestHTTPServer.Handling { request, _ in
            switch request.method {
            case .DELETE:
                return TestResponse(status: .noContent, text: "")
            case .GET
            where ["disks", "virtualNetworks", "storageAccounts"].contains(
                request.path.split(separator: "/").last.map(String.init) ?? ""
            ):
                return TestResponse(text: #"{"value":[{"name":"listed"}]}"#)
            default:
                return TestResponse(text: #"{"name":"x","properties":{"provisioningState":"Succeeded"}}"#)
            }
        }.run { server in
            try await withTestClient { client in
                let arm = ARMClient(
                    client: client,
                    environment: AzureEnvironment(
                        authorityHost: URL(string: server.baseURL)!,
                        resourceManager: URL(string: server.baseURL)!
                    ),
                    credential: StaticTokenCredential(token: "t"),
                    subscriptionID: "sub1"
                )
                let subnet = try await arm.createSubnet(
                    resourceGroup: "rg",
                    virtualNetwork: "vnet1",
                    name: "workers",
                    properties: SubnetProperties(
                        addressPrefix: "10.20.1.0/24",
                        privateEndpointNetworkPolicies: "Disabled",
                        defaultOutboundAccess: false
                    ),
                    logger: testLogger
                )
                #expect(subnet.properties?.provisioningState == "Succeeded")
                #expect(try await arm.virtualNetwork(resourceGroup: "rg", name: "vnet1", logger: testLogger) != nil)
                #expect(try await arm.listVirtualNetworks(resourceGroup: "rg", logger: testLogger).collect().count == 1)
                try await arm.deleteVirtualNetwork(resourceGroup: "rg", name: "vnet1", logger: testLogger)
                #expect(try await arm.networkInterface(resourceGroup: "rg", name: "nic1", logger: testLogger) != nil)
                try await arm.deleteNetworkInterface(resourceGroup: "rg", name: "nic1", logger: testLogger)
                #expect(try await arm.privateEndpoint(resourceGroup: "rg", name: "pe1", logger: testLogger) != nil)
                #expect(try await arm.listStorageAccounts(resourceGroup: "rg", logger: testLogger).collect().count == 1)
                try await arm.createDiskFromSnapshot(
                    resourceGroup: "rg",
                    name: "restored",
                    location: "eastus",
                    snapshotID: Self.rg + "/Microsoft.Compute/snapshots/s1",
                    logger: testLogger
                )
                #expect(try await arm.listDisks(resourceGroup: "rg", logger: testLogger).collect().count == 1)
            }
            let seen = server.requests.map { "\($0.method) \($0.path)?\($0.query)" }
            #expect(
                seen == [
                    "PUT \(Self.rg)/Microsoft.Network/virtualNetworks/vnet1/subnets/workers?api-version=2024-05-01",
                    "GET \(Self.rg)/Microsoft.Network/virtualNetworks/vnet1?api-version=2024-05-01",
                    "GET \(Self.rg)/Microsoft.Network/virtualNetworks?api-version=2024-05-01",
                    "DELETE \(Self.rg)/Microsoft.Network/virtualNetworks/vnet1?api-version=2024-05-01",
                    "GET \(Self.rg)/Microsoft.Network/networkInterfaces/nic1?api-version=2024-05-01",
                    "DELETE \(Self.rg)/Microsoft.Network/networkInterfaces/nic1?api-version=2024-05-01",
                    "GET \(Self.rg)/Microsoft.Network/privateEndpoints/pe1?api-version=2024-05-01",
                    "GET \(Self.rg)/Microsoft.Storage/storageAccounts?api-version=2023-05-01",
                    "PUT \(Self.rg)/Microsoft.Compute/disks/restored?api-version=2024-03-02",
                    "GET \(Self.rg)/Microsoft.Compute/disks?api-version=2024-03-02",
                ]
            )
            let subnetBody = try JSONDecoder().decode(AzureJSON.self, from: Data(server.requests[0].body))
            #expect(subnetBody["properties"]?["addressPrefix"] == .string("10.20.1.0/24"))
            #expect(subnetBody["properties"]?["defaultOutboundAccess"] == .bool(false))
            let diskBody = try JSONDecoder().decode(AzureJSON.self, from: Data(server.requests[8].body))
            #expect(diskBody["properties"]?["creationData"]?["createOption"] == .string("Copy"))
            #expect(
                diskBody["properties"]?["creationData"]?["sourceResourceId"]
                    == .string(Self.rg + "/Microsoft.Compute/snapshots/s1")
            )
        }
    }
}
