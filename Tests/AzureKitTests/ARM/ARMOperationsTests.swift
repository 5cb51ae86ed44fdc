import AzureKit
import Foundation
import NIOHTTP1
import Testing

/// Bodies shaped like the REST examples in Azure/azure-rest-api-specs
/// (`specification/storage/resource-manager/Microsoft.Storage/stable/2023-05-01/examples/StorageAccountListKeys.json`,
/// `StorageAccountCreate.json`, `specification/network/resource-manager/Microsoft.Network/stable/2024-05-01/examples/PrivateEndpointCreate.json`)
/// and the storage example of the async-operations article (202 + `Location` + `Retry-After: 17`). Values are made up.
@Suite struct ARMOperationsTests {
    func arm(_ client: AzureClient, _ server: TestHTTPServer) -> ARMClient {
        let environment = AzureEnvironment(
            authorityHost: URL(string: server.baseURL)!,
            resourceManager: URL(string: server.baseURL)!
        )
        return ARMClient(
            client: client,
            environment: environment,
            credential: StaticTokenCredential(token: "t"),
            subscriptionID: "sub1"
        )
    }

    static func base(_ request: RecordedRequest) -> String {
        "http://127.0.0.1:\(request.headers.first(name: "host")?.split(separator: ":").last ?? "")"
    }

    @Test func storageAccountCreateThroughLocationAndListKeys() async throws {
        let sleeper = SleepRecorder()
        try await TestHTTPServer.Handling { request, index in
            switch index {
            case 0:
                return TestResponse(
                    status: .accepted,
                    headers: HTTPHeaders([
                        (
                            "Location",
                            Self.base(request)
                                + "/subscriptions/sub1/providers/Microsoft.Storage/locations/eastus/asyncoperations/op9?monitor=true&api-version=2023-05-01"
                        ),
                        ("Retry-After", "17"),
                    ])
                )
            case 1:
                return TestResponse(
                    text:
                        #"{"id":"/subscriptions/sub1/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/nimbusacct","kind":"StorageV2","location":"eastus","name":"nimbusacct","sku":{"name":"Standard_LRS","tier":"Standard"},"tags":{"appliance":"a1"},"properties":{"provisioningState":"Succeeded","publicNetworkAccess":"Disabled","allowSharedKeyAccess":true,"minimumTlsVersion":"TLS1_2","primaryEndpoints":{"blob":"https://nimbusacct.blob.core.windows.net/","queue":"https://nimbusacct.queue.core.windows.net/"}}}"#
                )
            case 2:
                return TestResponse(
                    text:
                        #"{"id":"/subscriptions/sub1/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/nimbusacct","name":"nimbusacct","location":"eastus","properties":{"provisioningState":"Succeeded","publicNetworkAccess":"Disabled","primaryEndpoints":{"blob":"https://nimbusacct.blob.core.windows.net/"}}}"#
                )
            default:
                return TestResponse(
                    text:
                        #"{"keys":[{"keyName":"key1","permissions":"Full","value":"a2V5LW9uZQ=="},{"keyName":"key2","permissions":"Full","value":"a2V5LXR3bw=="}]}"#
                )
            }
        }.run { server in
            try await withTestClient(sleeper: sleeper) { client in
                let arm = arm(client, server)
                let account = try await arm.createStorageAccount(
                    resourceGroup: "rg",
                    name: "nimbusacct",
                    location: "eastus",
                    tags: ["appliance": "a1"],
                    properties: StorageAccountProperties(publicNetworkAccess: "Disabled", allowSharedKeyAccess: true),
                    logger: testLogger
                )
                #expect(account.properties?.primaryEndpoints?["blob"] == "https://nimbusacct.blob.core.windows.net/")
                #expect(account.properties?.publicNetworkAccess == "Disabled")
                let keys = try await arm.storageAccountKeys(resourceGroup: "rg", name: "nimbusacct", logger: testLogger)
                #expect(keys.map(\.keyName) == ["key1", "key2"])
                #expect(keys.first?.value == "a2V5LW9uZQ==")
                #expect(!String(describing: keys[0]).contains("a2V5"))
            }
            let requests = server.requests
            let sent = try JSONDecoder().decode(AzureJSON.self, from: Data(requests[0].body))
            #expect(sent["kind"] == .string("StorageV2"))
            #expect(sent["sku"]?["name"] == .string("Standard_LRS"))
            #expect(sent["properties"]?["publicNetworkAccess"] == .string("Disabled"))
            #expect(requests[0].uri.hasSuffix("/storageAccounts/nimbusacct?api-version=2023-05-01"))
            #expect(requests[1].query.contains("monitor=true"))
            #expect(requests[3].method == .POST)
            #expect(requests[3].uri.hasSuffix("/storageAccounts/nimbusacct/listKeys?api-version=2023-05-01"))
        }
        #expect(sleeper.recorded == [.seconds(17)])
    }

    /// listKeys is a POST that changes nothing (StorageAccounts_ListKeys), so a 500 is retried like a read.
    @Test func listKeysIsRetriedAfterAServerError() async throws {
        try await TestHTTPServer.Handling { _, index in
            index == 0
                ? TestResponse(
                    status: .internalServerError,
                    text: #"{"error":{"code":"InternalError","message":"try again"}}"#
                )
                : TestResponse(text: #"{"keys":[{"keyName":"key1","permissions":"Full","value":"a2V5LW9uZQ=="}]}"#)
        }.run { server in
            try await withTestClient { client in
                let keys = try await arm(client, server).storageAccountKeys(
                    resourceGroup: "rg",
                    name: "acct",
                    logger: testLogger
                )
                #expect(keys.map(\.keyName) == ["key1"])
            }
            #expect(server.requests.map(\.method) == [.POST, .POST])
            #expect(
                server.requests.first?.uri
                    == "/subscriptions/sub1/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/acct/listKeys?api-version=2023-05-01"
            )
        }
    }

    /// Disks and snapshots share DiskRP's operations (Disks_* and Snapshots_* in
    /// `specification/compute/resource-manager/Microsoft.Compute/DiskRP/stable/2024-03-02/disk.json` and
    /// `snapshot.json`): the same paths under `disks/` or `snapshots/`, api-version 2024-03-02, GET 404
    /// as absent, DELETE answered 202 + `Location` (polled) or 204, grantAccess with its result read
    /// from `Location`, revokeAccess as a POST without body.
    @Test func diskOperationsFollowDiskRP() async throws {
        let disk = "/subscriptions/sub1/resourceGroups/rg/providers/Microsoft.Compute/disks/d1"
        try await TestHTTPServer.Handling { request, _ in
            let base = Self.base(request)
            switch (request.method, request.path) {
            case (.PUT, disk):
                return TestResponse(
                    text:
                        #"{"name":"d1","location":"eastus","sku":{"name":"StandardSSD_LRS"},"properties":{"diskSizeGB":32,"provisioningState":"Succeeded","diskState":"Unattached"}}"#
                )
            case (.GET, disk):
                return TestResponse(
                    status: .notFound,
                    text:
                        #"{"error":{"code":"ResourceNotFound","message":"The Resource 'Microsoft.Compute/disks/d1' was not found."}}"#
                )
            case (.DELETE, disk):
                return TestResponse(
                    status: .accepted,
                    headers: HTTPHeaders([("Location", base + "/ops/del1?monitor=true&api-version=2024-03-02")])
                )
            case (.GET, "/ops/del1"):
                return TestResponse(status: .ok, text: "")
            case (.POST, disk + "/beginGetAccess"):
                return TestResponse(
                    status: .accepted,
                    headers: HTTPHeaders([("Location", base + "/ops/grant1?monitor=true&api-version=2024-03-02")])
                )
            case (.GET, "/ops/grant1"):
                return TestResponse(
                    text:
                        #"{"accessSAS":"https://md-impexp-x.blob.storage.azure.net/c/abcd?sv=2018-03-28&sr=b&si=p&sig=s"}"#
                )
            case (.POST, disk + "/endGetAccess"):
                return TestResponse(status: .ok, text: "")
            case (.DELETE, _):
                return TestResponse(status: .noContent, text: "")
            default:
                return TestResponse(text: #"{"value":[]}"#)
            }
        }.run { server in
            try await withTestClient { client in
                let arm = arm(client, server)
                let created = try await arm.createEmptyDisk(
                    resourceGroup: "rg",
                    name: "d1",
                    location: "eastus",
                    sizeGB: 32,
                    logger: testLogger
                )
                #expect(created.properties?.diskState == "Unattached")
                #expect(try await arm.disk(resourceGroup: "rg", name: "d1", logger: testLogger) == nil)
                let sas = try await arm.grantDiskAccess(
                    resourceGroup: "rg",
                    name: "d1",
                    access: .write,
                    duration: .seconds(600),
                    logger: testLogger
                )
                #expect(sas.hasPrefix("https://md-impexp-x.blob.storage.azure.net/c/abcd?"))
                try await arm.revokeDiskAccess(resourceGroup: "rg", name: "d1", logger: testLogger)
                try await arm.deleteDisk(resourceGroup: "rg", name: "d1", logger: testLogger)
                try await arm.deleteSnapshot(resourceGroup: "rg", name: "s1", logger: testLogger)
                #expect(try await arm.listSnapshots(logger: testLogger).collect().isEmpty)
            }
            let requests = server.requests
            #expect(requests.allSatisfy { $0.query.contains("api-version=2024-03-02") })
            let sent = try JSONDecoder().decode(AzureJSON.self, from: Data(requests[0].body))
            #expect(sent["properties"]?["creationData"]?["createOption"] == .string("Empty"))
            #expect(sent["sku"]?["name"] == .string("StandardSSD_LRS"))
            #expect(String(decoding: requests[2].body, as: UTF8.self) == #"{"access":"Write","durationInSeconds":600}"#)
            #expect(requests[4].method == .POST && requests[4].body.isEmpty)
            #expect(requests.map(\.path).contains("/ops/del1"))
            #expect(requests.contains { $0.method == .DELETE && $0.path.hasSuffix("/snapshots/s1") })
            #expect(requests.last?.path == "/subscriptions/sub1/providers/Microsoft.Compute/snapshots")
        }
    }

    @Test func privateEndpointReportsDNSConfiguration() async throws {
        try await TestHTTPServer.Handling { _, _ in
            TestResponse(
                status: .ok,
                text:
                    #"{"name":"pe-blob","location":"eastus","properties":{"provisioningState":"Succeeded","subnet":{"id":"/s/subnets/endpoints"},"privateLinkServiceConnections":[{"name":"pe-blob","properties":{"privateLinkServiceId":"/acct","groupIds":["blob"],"privateLinkServiceConnectionState":{"status":"Approved","description":"Auto-approved"}}}],"networkInterfaces":[{"id":"/nics/pe-blob.nic"}],"customDnsConfigs":[{"fqdn":"nimbusacct.blob.core.windows.net","ipAddresses":["10.20.2.4"]}]}}"#
            )
        }.run { server in
            let endpoint = try await withTestClient { client in
                try await arm(client, server).createPrivateEndpoint(
                    resourceGroup: "rg",
                    name: "pe-blob",
                    location: "eastus",
                    subnetID: "/s/subnets/endpoints",
                    resourceID: "/acct",
                    groupIDs: ["blob"],
                    logger: testLogger
                )
            }
            #expect(endpoint.properties?.customDnsConfigs?.first?.ipAddresses == ["10.20.2.4"])
            #expect(
                endpoint.properties?.privateLinkServiceConnections?.first?.properties?
                    .privateLinkServiceConnectionState?.status == "Approved"
            )
            let sent = try JSONDecoder().decode(AzureJSON.self, from: Data(server.requests[0].body))
            #expect(sent["properties"]?["subnet"]?["id"] == .string("/s/subnets/endpoints"))
            #expect(
                server.requests[0].uri.hasSuffix(
                    "/providers/Microsoft.Network/privateEndpoints/pe-blob?api-version=2024-05-01"
                )
            )
        }
    }

    @Test func putAnsweredWhileProvisioningIsPolledOnTheResource() async throws {
        try await TestHTTPServer.Handling { _, index in
            let state = index < 2 ? "Updating" : "Succeeded"
            return TestResponse(
                status: index == 0 ? .created : .ok,
                text:
                    #"{"name":"vnet1","properties":{"provisioningState":"\#(state)","addressSpace":{"addressPrefixes":["10.20.0.0/16"]},"subnets":[{"name":"workers","id":"/v/subnets/workers","properties":{"addressPrefix":"10.20.1.0/24"}}]}}"#
            )
        }.run { server in
            let network = try await withTestClient { client in
                try await arm(client, server).createVirtualNetwork(
                    resourceGroup: "rg",
                    name: "vnet1",
                    network: VirtualNetwork(
                        location: "eastus",
                        properties: VirtualNetworkProperties(
                            addressPrefixes: ["10.20.0.0/16"],
                            subnets: [
                                Subnet(
                                    name: "workers",
                                    properties: SubnetProperties(
                                        addressPrefix: "10.20.1.0/24",
                                        defaultOutboundAccess: false
                                    )
                                )
                            ]
                        )
                    ),
                    logger: testLogger
                )
            }
            #expect(network.properties?.provisioningState == "Succeeded")
            #expect(network.properties?.subnets?.first?.id == "/v/subnets/workers")
            #expect(server.requests.count == 3)
            #expect(server.requests[1].method == .GET)
        }
    }

    @Test func failedProvisioningStateIsAnError() async throws {
        try await TestHTTPServer.Handling { _, _ in
            TestResponse(status: .ok, text: #"{"name":"d1","properties":{"provisioningState":"Failed"}}"#)
        }.run { server in
            try await withTestClient { client in
                let error = await #expect(throws: AzureError.self) {
                    try await arm(client, server).createDisk(
                        resourceGroup: "rg",
                        name: "d1",
                        disk: Disk(
                            location: "eastus",
                            properties: DiskProperties(
                                creationData: DiskCreationData(createOption: "Empty"),
                                diskSizeGB: 4
                            )
                        ),
                        logger: testLogger
                    )
                }
                #expect(error?.code == .operationFailed)
                #expect(error?.azureCode == "Failed")
            }
        }
    }
}

@Suite struct VirtualMachineRequestTests {
    @Test func linuxVMBodyAndLifecycleActions() async throws {
        try await TestHTTPServer.Handling { request, _ in
            if request.method == .PUT {
                return TestResponse(
                    text: #"{"name":"vm1","properties":{"vmId":"v-1","provisioningState":"Succeeded"}}"#
                )
            }
            if request.method == .GET {
                return TestResponse(text: #"{"value":[{"name":"vm1","properties":{"vmId":"v-1"}}]}"#)
            }
            return TestResponse(status: .ok, text: "")
        }.run { server in
            try await withTestClient { client in
                let environment = AzureEnvironment(
                    authorityHost: URL(string: server.baseURL)!,
                    resourceManager: URL(string: server.baseURL)!
                )
                let arm = ARMClient(
                    client: client,
                    environment: environment,
                    credential: StaticTokenCredential(token: "t"),
                    subscriptionID: "sub1"
                )
                let properties = VirtualMachineProperties.linux(
                    vmSize: "Standard_D4s_v5",
                    computerName: "worker-01",
                    adminUsername: "azureuser",
                    sshPublicKey: "ssh-ed25519 AAAA",
                    networkInterfaceID: "/nics/nic1",
                    customData: "I2Nsb3VkLWNvbmZpZw=="
                )
                let vm = try await arm.createVirtualMachine(
                    resourceGroup: "rg",
                    name: "vm1",
                    vm: VirtualMachine(
                        location: "eastus",
                        identity: .object(["type": .string("SystemAssigned")]),
                        properties: properties
                    ),
                    logger: testLogger
                )
                #expect(vm.properties?.vmId == "v-1")
                try await arm.startVirtualMachine(resourceGroup: "rg", name: "vm1", logger: testLogger)
                try await arm.deallocateVirtualMachine(resourceGroup: "rg", name: "vm1", logger: testLogger)
                let listed = try await arm.listVirtualMachines(logger: testLogger).collect()
                #expect(listed.compactMap(\.name) == ["vm1"])
                try await arm.deleteVirtualMachine(resourceGroup: "rg", name: "vm1", logger: testLogger)
            }
            let requests = server.requests
            let body = try JSONDecoder().decode(AzureJSON.self, from: Data(requests[0].body))
            #expect(body["properties"]?["storageProfile"]?["imageReference"]?["sku"] == .string("22_04-lts-gen2"))
            #expect(
                body["properties"]?["osProfile"]?["linuxConfiguration"]?["disablePasswordAuthentication"] == .bool(true)
            )
            #expect(body["identity"]?["type"] == .string("SystemAssigned"))
            #expect(requests[1].uri.hasSuffix("/virtualMachines/vm1/start?api-version=2024-07-01"))
            #expect(requests[2].uri.hasSuffix("/virtualMachines/vm1/deallocate?api-version=2024-07-01"))
            #expect(
                requests[3].uri
                    == "/subscriptions/sub1/providers/Microsoft.Compute/virtualMachines?api-version=2024-07-01"
            )
            #expect(requests[4].method == .DELETE)
        }
    }
}
