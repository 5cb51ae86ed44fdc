import AzureKit
import Foundation
import NIOHTTP1
import Synchronization
import Testing

/// LRO and paging sequences modelled on the headers and bodies in Azure/azure-sdk-for-python
/// `sdk/compute/azure-mgmt-compute/tests/recordings/test_mgmt_managed_disks.test_grant_access.yaml`
/// and `test_mgmt_managed_disks.test_create_snapshot.yaml`, and on the async-operations article
/// (learn.microsoft.com/azure/azure-resource-manager/management/async-operations). Values are made up.
@Suite struct ARMClientTests {
    func arm(_ client: AzureClient, _ server: TestHTTPServer) -> ARMClient {
        let environment = AzureEnvironment(
            authorityHost: URL(string: server.baseURL)!,
            resourceManager: URL(string: server.baseURL + "/")!
        )
        return ARMClient(
            client: client,
            environment: environment,
            credential: StaticTokenCredential(token: "tok"),
            subscriptionID: "sub1",
            pollInterval: .milliseconds(50)
        )
    }

    @Test func snapshotCreateFollowsAsyncOperationThenReadsResource() async throws {
        let sleeper = SleepRecorder()
        try await TestHTTPServer.Handling({ request, index in
            let base = "http://127.0.0.1:\(request.headers.first(name: "host")?.split(separator: ":").last ?? "")"
            switch index {
            case 0:
                return TestResponse(
                    status: .accepted,
                    headers: HTTPHeaders([
                        (
                            "Azure-AsyncOperation",
                            base
                                + "/subscriptions/sub1/providers/Microsoft.Compute/locations/westus/DiskOperations/op1?api-version=2024-03-02"
                        ),
                        (
                            "Location",
                            base
                                + "/subscriptions/sub1/providers/Microsoft.Compute/locations/westus/DiskOperations/op1?monitor=true&api-version=2024-03-02"
                        ),
                        ("Retry-After", "2"),
                    ]),
                    text:
                        #"{"name":"s1","location":"westus","properties":{"provisioningState":"Updating","incremental":true}}"#
                )
            case 1: return TestResponse(text: #"{"status":"InProgress","name":"op1"}"#)
            case 2: return TestResponse(text: #"{"status":"Succeeded","name":"op1"}"#)
            default:
                return TestResponse(
                    text:
                        #"{"id":"/subscriptions/sub1/resourceGroups/rg/providers/Microsoft.Compute/snapshots/s1","name":"s1","location":"westus","tags":{"job":"j1"},"properties":{"creationData":{"createOption":"Copy","sourceResourceId":"/d","sourceUniqueId":"u1"},"incremental":true,"incrementalSnapshotFamilyId":"fam1","diskSizeGB":32,"diskSizeBytes":34359738368,"provisioningState":"Succeeded","diskState":"Unattached","timeCreated":"2024-01-01T00:00:00.1234567+00:00"}}"#
                )
            }
        }).run { server in
            let snapshot = try await withTestClient(sleeper: sleeper) { client in
                try await arm(client, server).createIncrementalSnapshot(
                    resourceGroup: "rg",
                    name: "s1",
                    location: "westus",
                    diskID: "/d",
                    tags: ["job": "j1"],
                    logger: testLogger
                )
            }
            #expect(snapshot.properties?.incrementalSnapshotFamilyId == "fam1")
            #expect(snapshot.properties?.diskSizeBytes == 34_359_738_368)
            let requests = server.requests
            #expect(requests.count == 4)
            #expect(requests[0].method == .PUT)
            #expect(
                requests[0].uri
                    == "/subscriptions/sub1/resourceGroups/rg/providers/Microsoft.Compute/snapshots/s1?api-version=2024-03-02"
            )
            #expect(requests[0].headers.first(name: "Authorization") == "Bearer tok")
            let sent = try JSONDecoder().decode(AzureJSON.self, from: Data(requests[0].body))
            #expect(sent["properties"]?["incremental"] == .bool(true))
            #expect(sent["properties"]?["creationData"]?["createOption"] == .string("Copy"))
            #expect(sent["tags"]?["job"] == .string("j1"))
            #expect(requests[1].path.hasSuffix("/DiskOperations/op1"))
            #expect(requests[3].method == .GET)
            #expect(requests[3].path == requests[0].path)
        }
        #expect(sleeper.recorded == [.seconds(2), .milliseconds(50)])
    }

    @Test func beginGetAccessReadsSASFromLocation() async throws {
        try await TestHTTPServer.Handling({ request, index in
            let base = "http://127.0.0.1:\(request.headers.first(name: "host")?.split(separator: ":").last ?? "")"
            switch index {
            case 0:
                return TestResponse(
                    status: .accepted,
                    headers: HTTPHeaders([
                        ("Azure-AsyncOperation", base + "/ops/op2?api-version=2024-03-02"),
                        ("Location", base + "/ops/op2?monitor=true&api-version=2024-03-02"),
                    ])
                )
            case 1:
                return TestResponse(
                    text:
                        #"{"status":"Succeeded","properties":{"output":{"accessSAS":"https://md-x.blob.storage.azure.net/c/abcd?sv=2018-11-09&sr=b&si=p&sig=s"}}}"#
                )
            default:
                return TestResponse(
                    text: #"{"accessSAS":"https://md-x.blob.storage.azure.net/c/abcd?sv=2018-11-09&sr=b&si=p&sig=s"}"#
                )
            }
        }).run { server in
            let sas = try await withTestClient { client in
                try await arm(client, server).beginSnapshotAccess(
                    resourceGroup: "rg",
                    name: "s1",
                    duration: .seconds(3600),
                    logger: testLogger
                )
            }
            #expect(sas.hasPrefix("https://md-x.blob.storage.azure.net/c/abcd?"))
            let requests = server.requests
            #expect(requests[0].method == .POST)
            #expect(requests[0].path.hasSuffix("/snapshots/s1/beginGetAccess"))
            #expect(String(decoding: requests[0].body, as: UTF8.self) == #"{"access":"Read","durationInSeconds":3600}"#)
            #expect(requests[2].query.contains("monitor=true"))
        }
    }

    @Test func failedOperationSurfacesItsError() async throws {
        try await TestHTTPServer.Handling({ request, index in
            let base = "http://127.0.0.1:\(request.headers.first(name: "host")?.split(separator: ":").last ?? "")"
            if index == 0 {
                return TestResponse(
                    status: .accepted,
                    headers: HTTPHeaders([("Azure-AsyncOperation", base + "/ops/op3")])
                )
            }
            return TestResponse(
                text:
                    #"{"status":"Failed","error":{"code":"OperationNotAllowed","message":"Only 5 snapshots of a family may hold a SAS."}}"#
            )
        }).run { server in
            try await withTestClient { client in
                let error = await #expect(throws: AzureError.self) {
                    _ = try await arm(client, server).beginSnapshotAccess(
                        resourceGroup: "rg",
                        name: "s1",
                        duration: .seconds(60),
                        logger: testLogger
                    )
                }
                #expect(error?.code == .operationFailed)
                #expect(error?.azureCode == "OperationNotAllowed")
                #expect(error?.message == "Only 5 snapshots of a family may hold a SAS.")
            }
        }
    }

    @Test func locationPollingUntilDoneAndDeleteOfMissingIsSuccess() async throws {
        try await TestHTTPServer.Handling({ request, index in
            let base = "http://127.0.0.1:\(request.headers.first(name: "host")?.split(separator: ":").last ?? "")"
            switch index {
            case 0:
                return TestResponse(
                    status: .accepted,
                    headers: HTTPHeaders([("Location", base + "/ops/op4?monitor=true"), ("Retry-After", "1")])
                )
            case 1: return TestResponse(status: .accepted, headers: HTTPHeaders([("Retry-After", "1")]))
            case 2: return TestResponse(status: .noContent)
            default:
                return TestResponse(
                    status: .notFound,
                    headers: HTTPHeaders([("Content-Type", "application/json")]),
                    text: #"{"error":{"code":"ResourceNotFound","message":"gone"}}"#
                )
            }
        }).run { server in
            try await withTestClient { client in
                let arm = arm(client, server)
                try await arm.deleteSnapshot(resourceGroup: "rg", name: "s1", logger: testLogger)
                try await arm.deleteDisk(resourceGroup: "rg", name: "d1", logger: testLogger)
            }
            #expect(server.requests.count == 4)
            #expect(server.requests[3].method == .DELETE)
        }
    }

    @Test func listFollowsNextLink() async throws {
        try await TestHTTPServer.Handling({ request, _ in
            let base = "http://127.0.0.1:\(request.headers.first(name: "host")?.split(separator: ":").last ?? "")"
            if request.query.contains("skiptoken=2") {
                return TestResponse(text: #"{"value":[{"name":"s3","properties":{"incremental":true}}]}"#)
            }
            return TestResponse(
                text:
                    #"{"value":[{"name":"s1"},{"name":"s2"}],"nextLink":"\#(base)/subscriptions/sub1/providers/Microsoft.Compute/snapshots?api-version=2024-03-02&$skiptoken=2"}"#
            )
        }).run { server in
            let names = try await withTestClient { client in
                try await arm(client, server).listSnapshots(logger: testLogger).collect().compactMap(\.name)
            }
            #expect(names == ["s1", "s2", "s3"])
            #expect(server.requests.count == 2)
        }
    }

    @Test func runCommandAndInstanceView() async throws {
        try await TestHTTPServer.Handling({ request, index in
            let base = "http://127.0.0.1:\(request.headers.first(name: "host")?.split(separator: ":").last ?? "")"
            if request.path.hasSuffix("/instanceView") {
                return TestResponse(
                    text:
                        #"{"statuses":[{"code":"ProvisioningState/succeeded","level":"Info"},{"code":"PowerState/deallocated","displayStatus":"VM deallocated"}]}"#
                )
            }
            if index == 0 {
                return TestResponse(status: .accepted, headers: HTTPHeaders([("Location", base + "/ops/rc")]))
            }
            return TestResponse(
                text:
                    #"{"value":[{"code":"ProvisioningState/succeeded","level":"Info","displayStatus":"Provisioning succeeded","message":"Enable succeeded: \n[stdout]\nhello x\n\n[stderr]\n"}]}"#
            )
        }).run { server in
            try await withTestClient { client in
                let arm = arm(client, server)
                let result = try await arm.runCommand(
                    resourceGroup: "rg",
                    name: "vm1",
                    input: RunCommandInput(
                        script: ["echo hello $ARG1"],
                        parameters: [RunCommandParameter(name: "ARG1", value: "x")]
                    ),
                    logger: testLogger
                )
                #expect(result.output.contains("[stdout]\nhello x"))
                let view = try await arm.virtualMachineInstanceView(
                    resourceGroup: "rg",
                    name: "vm1",
                    logger: testLogger
                )
                #expect(view.powerState == "deallocated")
            }
            let sent = try JSONDecoder().decode(AzureJSON.self, from: Data(server.requests[0].body))
            #expect(sent["commandId"] == .string("RunShellScript"))
            #expect(server.requests[0].uri.hasSuffix("/virtualMachines/vm1/runCommand?api-version=2024-07-01"))
        }
    }

    /// Run Command answers 202 with both headers; the status document carries the result in
    /// `properties.output` (Azure/azure-powershell issue 8848 shows such a poll of
    /// `…/locations/{region}/operations/{id}`), so the `Location` URL is not read.
    @Test func runCommandReadsTheResultFromTheOperationStatus() async throws {
        try await TestHTTPServer.Handling({ request, index in
            let base = "http://127.0.0.1:\(request.headers.first(name: "host")?.split(separator: ":").last ?? "")"
            switch index {
            case 0:
                return TestResponse(
                    status: .accepted,
                    headers: HTTPHeaders([
                        ("Azure-AsyncOperation", base + "/locations/eastus/operations/rc2?api-version=2024-07-01"),
                        ("Location", base + "/locations/eastus/operations/rc2?monitor=true&api-version=2024-07-01"),
                    ])
                )
            case 1:
                return TestResponse(text: #"{"startTime":"2024-01-01T00:00:00Z","status":"InProgress","name":"rc2"}"#)
            case 2:
                return TestResponse(
                    text:
                        #"{"startTime":"2024-01-01T00:00:00Z","endTime":"2024-01-01T00:00:31Z","status":"Succeeded","properties":{"output":{"value":[{"code":"ProvisioningState/succeeded","level":"Info","displayStatus":"Provisioning succeeded","message":"Enable succeeded: \n[stdout]\nbacked up\n\n[stderr]\n"}]}},"name":"rc2"}"#
                )
            default:
                return TestResponse(status: .internalServerError, text: "not expected")
            }
        }).run { server in
            let result = try await withTestClient(retryPolicy: .noRetry) { client in
                try await arm(client, server).runCommand(
                    resourceGroup: "rg",
                    name: "vm1",
                    input: RunCommandInput(script: ["echo backed up"]),
                    logger: testLogger
                )
            }
            #expect(result.output.contains("[stdout]\nbacked up"))
            #expect(server.requests.count == 3)
            #expect(server.requests.dropFirst().allSatisfy { !$0.query.contains("monitor=true") })
        }
    }
}
