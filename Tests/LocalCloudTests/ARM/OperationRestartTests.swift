import AzureKit
import Foundation
import NIOHTTP1
import Testing

@testable import LocalCloud

/// Long-running operations that are still running when LocalCloud stops: a client polling across the restart gets
/// their final result, and the resources they touch end consistent.
@Suite struct OperationRestartTests {
    /// Holds every LRO of `operation` in progress for an hour (until LocalCloud stops).
    private func holdOperations(_ cloud: ComputeTestCloud, operation: String) async throws {
        var rule = FaultRule(kind: .delayLRO, service: "arm", operation: operation)
        rule.latencyMs = 3_600_000
        try await cloud.cloud.services.faults.replace(FaultRules(rules: [rule]))
    }

    /// `url` pointed at the restarted cloud's port.
    private func retarget(_ url: String, to cloud: ComputeTestCloud) throws -> String {
        let port = try #require(cloud.cloud.port)
        return url.replacingOccurrences(of: #":\d+/"#, with: ":\(port)/", options: .regularExpression)
    }

    /// Runs `before` on a LocalCloud, stops it keeping its folder, then runs `after` on a new LocalCloud started on
    /// that folder with what `before` returned; each cloud is stopped whatever happens.
    private func acrossRestart<Value>(
        _ before: (ComputeTestCloud) async throws -> Value,
        then after: (ComputeTestCloud, Value) async throws -> Void
    ) async throws {
        let first = try await ComputeTestCloud.start()
        let value: Value
        do {
            value = try await before(first)
        } catch {
            await first.stop()
            throw error
        }
        await first.stop(keepingData: true)
        let second: ComputeTestCloud
        do {
            second = try await ComputeTestCloud.start(in: first.folder)
        } catch {
            first.folder.remove()
            throw error
        }
        do {
            try await after(second, value)
        } catch {
            await second.stop()
            throw error
        }
        await second.stop()
    }

    /// Polls the `Location` URL `location` of the first cloud on the restarted one until it stops answering 202.
    private func finish(_ location: String, on cloud: ComputeTestCloud) async throws -> ComputeTestCloud.Reply {
        try await cloud.finish(
            ComputeTestCloud.Reply(status: 202, headers: ["Location": try retarget(location, to: cloud)], body: Data())
        )
    }

    @Test func storageAccountCreationFinishesAfterARestart() async throws {
        let path = "/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/restartacct"
        try await acrossRestart { first in
            try await first.group("rg")
            try await holdOperations(first, operation: "PUT storageAccounts")
            let created = try await first.arm(
                .PUT,
                path,
                body: ["location": "westeurope", "sku": ["name": "Standard_LRS"], "kind": "StorageV2"],
                apiVersion: "2023-05-01"
            )
            #expect(created.status == 202)
            let location = try #require(created.header("Location"))
            let running = try await first.send(.GET, url: location, headers: ["Authorization": "Bearer \(first.token)"])
            #expect(running.status == 202)
            let account = try await first.arm(.GET, path, apiVersion: "2023-05-01")
            #expect(account.json?["properties"]?["provisioningState"] == "Creating")
            return location
        } then: { second, location in
            #expect(FileManager.default.fileExists(atPath: second.folder.path + "/operations"))
            let polled = try await finish(location, on: second)
            #expect(polled.status == 200)
            #expect(polled.json?["properties"]?["provisioningState"] == "Succeeded")
            let account = try await second.arm(.GET, path, apiVersion: "2023-05-01")
            #expect(account.json?["properties"]?["provisioningState"] == "Succeeded")
            let keys = try await second.arm(.POST, path + "/listKeys", apiVersion: "2023-05-01")
            #expect(keys.json?["keys"]?.arrayValue?.count == 2)
        }
    }

    @Test func resourceGroupDeletionFinishesAfterARestart() async throws {
        let path = "/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/doomedacct"
        try await acrossRestart { first in
            try await first.group("rg")
            let created = try await first.arm(
                .PUT,
                path,
                body: ["location": "westeurope", "sku": ["name": "Standard_LRS"]],
                apiVersion: "2023-05-01"
            )
            let finished = try await first.finish(created)
            #expect(finished.status == 200)
            try await holdOperations(first, operation: "DELETE resourceGroups")
            let deleting = try await first.arm(.DELETE, "/resourceGroups/rg", apiVersion: "2021-04-01")
            #expect(deleting.status == 202)
            return try #require(deleting.header("Location"))
        } then: { second, location in
            let polled = try await finish(location, on: second)
            #expect(polled.status == 200)
            let group = try await second.arm(.GET, "/resourceGroups/rg", apiVersion: "2021-04-01")
            #expect(group.status == 404)
            #expect(
                second.cloud.services.resources.get(second.id("rg", "Microsoft.Storage/storageAccounts", "doomedacct"))
                    == nil
            )
        }
    }

    @Test func powerActionsResumeAndRunCommandsFailCleanlyAfterARestart() async throws {
        let path = "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1"
        try await acrossRestart { first in
            try await first.group("rg")
            try await makeVirtualMachine(first, path: path)
            let run = try await first.arm(
                .POST,
                path + "/runCommand",
                body: ["commandId": "RunShellScript", "script": ["sleep 600"]],
                apiVersion: "2024-07-01"
            )
            #expect(run.status == 202)
            let command = try #require(run.header("Azure-AsyncOperation"))
            try await holdOperations(first, operation: "POST deallocate")
            let deallocate = try await first.arm(.POST, path + "/deallocate", apiVersion: "2024-07-01")
            #expect(deallocate.status == 202)
            return (command: command, deallocation: try #require(deallocate.header("Azure-AsyncOperation")))
        } then: { second, urls in
            let commandStatus = try await waitForEnd(second, statusURL: try retarget(urls.command, to: second))
            #expect(commandStatus["status"] == "Failed")
            #expect(commandStatus["error"]?["code"] == "InternalServerError")
            #expect(commandStatus["error"]?["message"]?.stringValue?.contains("restarted") == true)
            let deallocated = try await waitForEnd(second, statusURL: try retarget(urls.deallocation, to: second))
            #expect(deallocated["status"] == "Succeeded")
            let view = try await second.arm(.GET, path + "/instanceView", apiVersion: "2024-07-01")
            let codes = view.json?["statuses"]?.arrayValue?.compactMap { $0["code"]?.stringValue } ?? []
            #expect(codes.contains("PowerState/deallocated"))
        }
    }

    /// Polls an `Azure-AsyncOperation` status document until it is no longer `InProgress`.
    private func waitForEnd(_ cloud: ComputeTestCloud, statusURL: String) async throws -> AzureJSON {
        for _ in 0..<1500 {
            let reply = try await cloud.send(.GET, url: statusURL, headers: ["Authorization": "Bearer \(cloud.token)"])
            let document = try #require(reply.json)
            if document["status"] != "InProgress" { return document }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw LocalCloudError(.state, "The operation at \(statusURL) did not end.")
    }

    private func makeVirtualMachine(_ cloud: ComputeTestCloud, path id: String) async throws {
        let subnet = try await cloud.network("rg", "vnet")
        let nic = cloud.id("rg", "Microsoft.Network/networkInterfaces", "nic1")
        let nicReply = try await cloud.arm(
            .PUT,
            nic,
            body: [
                "location": "westeurope",
                "properties": [
                    "ipConfigurations": [["name": "ipconfig1", "properties": ["subnet": ["id": .string(subnet)]]]]
                ],
            ],
            apiVersion: "2024-05-01"
        )
        #expect(nicReply.status == 201)
        let body: AzureJSON = [
            "location": "westeurope",
            "properties": [
                "hardwareProfile": ["vmSize": "Standard_D2s_v5"],
                "storageProfile": [
                    "imageReference": [
                        "publisher": "Canonical", "offer": "0001-com-ubuntu-server-jammy", "sku": "22_04-lts-gen2",
                        "version": "latest",
                    ],
                    "osDisk": ["createOption": "FromImage"],
                ],
                "osProfile": ["computerName": "vm1", "adminUsername": "azureuser", "adminPassword": "Pa55-word!"],
                "networkProfile": ["networkInterfaces": [["id": .string(nic)]]],
            ],
        ]
        let created = try await cloud.arm(.PUT, id, body: body, apiVersion: "2024-07-01")
        #expect(created.status == 201)
    }
}
